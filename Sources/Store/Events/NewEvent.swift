import Foundation

/// An event to append, as the intake or a decider produced it. Personal fields inside `data`
/// are already encrypted by the caller; the store treats `data` and `metadata` as opaque JSON.
///
/// The store keeps both as the text it is given (since migration 13) and checks only that it
/// is UTF-8: that it is JSON is the writer's guarantee. The intake writes both with the
/// canonical writer from a document it parsed and validated; the relay copies `data` into each
/// published envelope as it is.
public struct NewEvent: Sendable, Equatable {
    /// The event id, unique per `source` (CloudEvents `id`).
    public var id: String
    /// The sender (CloudEvents `source`); `(source, id)` identifies the event for idempotency.
    public var source: String
    public var type: String
    /// When it happened, as the sender says.
    public var time: Date
    /// The organization that did it.
    public var actor: String
    /// The 12-digit region code, when the event has one.
    public var region: String?
    /// The payload: one JSON value, UTF-8.
    public var data: Data
    /// Extra envelope fields (trace context, schema version…): one JSON object, UTF-8.
    public var metadata: Data
    /// The canonical topic the relay publishes it to, keyed by its stream; `nil` keeps it
    /// out of the outbox.
    public var topic: String?

    public init(
        id: String, source: String, type: String, time: Date, actor: String, region: String?,
        data: Data, metadata: Data = Data("{}".utf8), topic: String?
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.actor = actor
        self.region = region
        self.data = data
        self.metadata = metadata
        self.topic = topic
    }
}

/// An event of a batch append, with the stream (subject) it belongs to.
public struct BatchedEvent: Sendable, Equatable {
    public var stream: String
    public var event: NewEvent
    /// The caller created the stream's subject just now (a person the intake created for this
    /// batch), so the stream should have no events: the append then numbers it from 1 without
    /// looking up its last version. Only a hint: if the stream has events after all, the append
    /// notices on its unique index and numbers it after them.
    public var newStream: Bool

    public init(stream: String, event: NewEvent, newStream: Bool = false) {
        self.stream = stream
        self.event = event
        self.newStream = newStream
    }
}

/// What a stream append expects the stream's current version to be.
public enum ExpectedVersion: Sendable, Equatable {
    /// No check.
    case any
    /// The stream has no events yet.
    case noStream
    /// The stream's last event has exactly this version (versions count from 1).
    case exact(Int64)

    func accepts(current: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exact(let version): current == version
        }
    }
}
