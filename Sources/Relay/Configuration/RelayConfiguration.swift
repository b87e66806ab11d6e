/// How the outbox relay runs: where it publishes, how much it takes at a time and how it
/// waits. Parsed once at start (from `ONEWINDOW_TOPIC_PREFIX` and flags) and passed in.
public struct RelayConfiguration: Sendable {
    /// Names the canonical topics; default prefix `onewindow`.
    public var topics: TopicNaming
    /// The progress mark's name in `relay_progress`. Default `relay`; a second relay with
    /// another name (e.g. to a second cluster) keeps its own mark.
    public var name: String
    /// Events read (and those with a topic published) per batch. Default 5,000; at most 9,999
    /// (the store's default read limit is 10,000 — keep `StoreConfiguration.maximumReadLimit`
    /// at or above the batch size).
    public var batchSize: Int
    /// The longest wait before looking again when the outbox is empty. The relay looks at once
    /// when the store notifies an append (migration 7), so this is only the safety net for a
    /// notification lost with its connection. Default 1 s (it was a 10 ms poll before the
    /// store notified: a hundred reads a second while nothing arrived).
    public var idleWait: Duration
    /// The first pause after a failed batch (broker or database unreachable). Default 100 ms.
    public var retryInitialDelay: Duration
    /// Pauses double up to this. Default 5 s.
    public var retryMaximumDelay: Duration
    /// Told what the relay did (batches relayed, failures); the executable turns these into
    /// metrics. Default: none.
    public var observer: (@Sendable (RelayActivity) -> Void)?
    /// A test seam: called after every message of a batch is delivered and before the batch
    /// is marked, with the batch's last position. Throwing from it stops the relay with that
    /// error, as a crash at that point would. Default: none.
    public var beforeMark: (@Sendable (Int64) async throws -> Void)?

    public init(
        topics: TopicNaming = TopicNaming(),
        name: String = "relay",
        batchSize: Int = 5_000,
        idleWait: Duration = .seconds(1),
        retryInitialDelay: Duration = .milliseconds(100),
        retryMaximumDelay: Duration = .seconds(5)
    ) {
        self.topics = topics
        self.name = name
        self.batchSize = min(max(1, batchSize), 9_999)
        self.idleWait = idleWait
        self.retryInitialDelay = retryInitialDelay
        self.retryMaximumDelay = max(retryInitialDelay, retryMaximumDelay)
    }
}

/// Something the relay did, for an observer (metrics, tests).
public enum RelayActivity: Sendable {
    /// A batch was delivered and marked: `count` messages, progress now at `upTo`.
    case relayed(count: Int, upTo: Int64)
    /// A batch failed (nothing marked); the relay retries after `retryIn`.
    case failed(error: any Error, attempt: Int, retryIn: Duration)
}
