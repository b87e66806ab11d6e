/// One dependency `/health/ready` checks (PostgreSQL, the broker, …).
public struct ReadinessCheck: Sendable {
    public var name: String
    /// Returns normally when the dependency answers; throws (with a generic, secret-free
    /// description) when it does not. Must give up within a couple of seconds.
    public var check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}
