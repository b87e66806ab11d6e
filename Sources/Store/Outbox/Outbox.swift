import Logging
import PostgresNIO

/// A message the relay must publish: an event, the topic it goes to and its key.
public struct OutboxMessage: Sendable, Equatable {
    public let topic: String
    /// The Kafka key: the event's stream (subject id), so one subject stays in order.
    public let key: String
    public let event: RecordedEvent

    /// The event's global position; progress is marked in these terms.
    public var position: Int64 { event.position }

    package init(topic: String, key: String, event: RecordedEvent) {
        (self.topic, self.key, self.event) = (topic, key, event)
    }
}

/// The transactional outbox, read by the relay: messages in position order, gap-free, and a
/// progress mark per relay that moves only forward and only after delivery was confirmed.
public struct Outbox: Sendable {
    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public init(client: PostgresClient, configuration: StoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Up to `limit` messages after `position`, in position order. Outbox rows are written in
    /// the same statement as their events, under the append lock, so the same gap-free
    /// guarantee holds (see ``AppendLock``).
    ///
    /// The outbox rows are limited first, then each one's event is fetched by its position
    /// (one primary-key probe per row, whatever the statistics say). Left to choose, a planner
    /// with the statistics of a small table (one that just grew: a burst, an import) walked the
    /// events from position 1 with a merge join, or scanned the whole tail once per row.
    public func read(after position: Int64, limit: Int) async throws(StoreError) -> [OutboxMessage] {
        let rows = try await client.collect(Self.readQuery(schema: configuration.schema, after: position,
                                                           limit: min(max(1, limit), configuration.maximumReadLimit)),
                                            logger: logger)
        do {
            return try rows.map { row in
                let cells = row.makeRandomAccess()
                let topic = try cells[0].decode(String.self)
                let key = try cells[1].decode(String.self)
                let eventRow = try RecordedEvent(row: row, skipping: 2)
                return OutboxMessage(topic: topic, key: key, event: eventRow)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The statement of ``read(after:limit:)`` (its plan is checked by the tests).
    package static func readQuery(schema: SchemaName, after position: Int64, limit: Int) -> PostgresQuery {
        let s = schema.rawValue
        return """
            SELECT o.topic, o.key, \(unescaped: RecordedEvent.columns)
            FROM (SELECT position, topic, key FROM \(unescaped: s).outbox
                  WHERE position > \(position) ORDER BY position, topic LIMIT \(limit)) o
            CROSS JOIN LATERAL (SELECT * FROM \(unescaped: s).events x WHERE x.position = o.position OFFSET 0) e
            ORDER BY o.position, o.topic
            """
    }

    /// Notifications of appends to this store, to wait on when the outbox is empty.
    public var appendNotifications: AppendNotifications {
        AppendNotifications(client: client, configuration: configuration, logger: logger)
    }

    /// The last position `relay` marked as delivered; 0 before the first mark.
    public func progress(of relay: String = "relay") async throws(StoreError) -> Int64 {
        let rows = try await client.collect(
            "SELECT position FROM \(unescaped: configuration.schema.rawValue).relay_progress WHERE relay = \(relay)",
            logger: logger)
        do { return try rows.first?.decode(Int64.self) ?? 0 } catch { throw StoreError.wrap(error) }
    }

    /// Records that every message up to `position` was delivered. Call it only after the
    /// broker confirmed delivery. Never moves the mark back (a late, lower mark is ignored).
    public func markRelayed(upTo position: Int64, relay: String = "relay") async throws(StoreError) {
        _ = try await client.collect("""
            INSERT INTO \(unescaped: configuration.schema.rawValue).relay_progress AS p (relay, position)
            VALUES (\(relay), \(position))
            ON CONFLICT (relay) DO UPDATE
                SET position = greatest(p.position, excluded.position), updated_at = now()
            """, logger: logger)
    }
}
