/// The topic names the intake uses, under one prefix (`ONEWINDOW_TOPIC_PREFIX`, default `onewindow`).
public struct IntakeTopics: Sendable, Hashable {
    public var prefix: String

    public init(prefix: String = "onewindow") { self.prefix = prefix }

    public var ingest: String { prefix + ".ingest" }
    public var rejected: String { prefix + ".rejected" }
    public var person: String { prefix + ".person" }
    public var housing: String { prefix + ".housing" }
}
