/// Where an appended event landed.
public struct AppendedEvent: Sendable, Equatable {
    /// The global position: strictly increasing in commit order.
    public let position: Int64
    public let streamVersion: Int64
    public let source: String
    public let id: String
}

/// The answer to a stream append.
public enum AppendResult: Sendable, Equatable {
    /// Every event was written, in order.
    case appended([AppendedEvent])
    /// Every event was already stored (matched by `(source, id)`); nothing changed.
    case duplicate

    /// The stream version after the append, when it wrote anything.
    public var lastStreamVersion: Int64? {
        if case .appended(let events) = self { return events.last?.streamVersion }
        return nil
    }
}

/// The answer for one event of a batch append.
public enum BatchOutcome: Sendable, Equatable {
    case appended(AppendedEvent)
    /// Already stored, or repeated earlier in the same batch; nothing changed.
    case duplicate
}
