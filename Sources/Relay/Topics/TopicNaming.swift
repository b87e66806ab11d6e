/// The canonical topics events are published to, one per ordering domain (decision 3).
public enum CanonicalTopic: String, CaseIterable, Sendable {
    /// Person events, keyed by personId.
    case person
    /// Housing-unit events, keyed by housingUnitId.
    case housing
    /// Case events, keyed by caseId.
    case `case`

    /// Partitions a new topic gets unless told otherwise: person events are the bulk.
    public var defaultPartitions: Int32 {
        switch self {
        case .person: 12
        case .housing, .case: 6
        }
    }
}

/// Turns a topic's domain into its full name under a prefix (`ONEWINDOW_TOPIC_PREFIX`).
///
/// The outbox records the canonical topic name the intake chose (`onewindow.person`); the
/// relay keeps only its domain — the part after the last dot — and puts its own prefix in
/// front. So the same store can be relayed to `onewindow.*` in production and replayed to
/// any other prefix (a new cluster, a test), and an outbox row that says just `person` works
/// too.
public struct TopicNaming: Sendable, Hashable {
    /// The prefix, without the trailing dot. Default `onewindow`.
    public var prefix: String {
        didSet { canonicalNames = Self.names(under: prefix) }
    }
    /// `<prefix>.<domain>` of each canonical topic, in `CanonicalTopic.allCases` order: the
    /// relay names a topic per event, and building the string each time cost ≈ 1 µs.
    private var canonicalNames: [String]
    private static let canonical = CanonicalTopic.allCases

    public init(prefix: String = "onewindow") {
        self.prefix = prefix
        canonicalNames = Self.names(under: prefix)
    }

    /// `<prefix>.<domain>` for a canonical topic.
    public func name(of topic: CanonicalTopic) -> String {
        "\(prefix).\(topic.rawValue)"
    }

    /// The topic to publish an outbox row to, from the topic the store recorded for it.
    public func publishedTopic(forRecorded recorded: String) -> String {
        let domain = recorded.utf8.lastIndex(of: UInt8(ascii: ".")).map { recorded[recorded.index(after: $0)...] } ?? recorded[...]
        for (index, topic) in Self.canonical.enumerated() where domain == topic.rawValue {
            return canonicalNames[index]
        }
        return "\(prefix).\(domain)"
    }

    private static func names(under prefix: String) -> [String] {
        canonical.map { "\(prefix).\($0.rawValue)" }
    }
}
