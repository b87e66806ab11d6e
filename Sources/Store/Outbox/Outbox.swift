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

/// One read of the outbox.
public struct OutboxRead: Sendable {
    /// The events read that have a topic, in position order.
    public var messages: [OutboxMessage]
    /// The last position read, with a topic or without; `nil` when no event follows the
    /// position read after. A relay that published the messages may mark up to here.
    public var lastPosition: Int64?
}

/// The transactional outbox, read by the relay: messages in position order, gap-free, and a
/// progress mark per relay that moves only forward and only after delivery was confirmed.
///
/// An event is in the outbox when it was appended with a topic: the events row itself records
/// where it goes (migration 8; a separate outbox table cost a second row per event).
public struct Outbox: Sendable {
    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public init(client: PostgresClient, configuration: StoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// The events after `position`, up to `limit` of them, in position order, and the messages
    /// among them to publish (those appended with a topic). The append lock makes positions
    /// commit in order, so what this reads never skips one that commits later (see
    /// ``AppendLock``).
    ///
    /// The read walks the events' primary key from `position` on: it visits the rows it returns
    /// and no others, whatever the statistics say (a test holds it to that with the statistics
    /// of a small table that just grew).
    public func read(after position: Int64, limit: Int) async throws(StoreError) -> OutboxRead {
        let rows = try await client.collect(Self.readQuery(schema: configuration.schema, after: position,
                                                           limit: min(max(1, limit), configuration.maximumReadLimit)),
                                            logger: logger)
        do {
            var read = OutboxRead(messages: [], lastPosition: nil)
            read.messages.reserveCapacity(rows.count)
            for row in rows {
                let cells = row.makeRandomAccess()
                let event = try RecordedEvent(cells: cells, skipping: 1)
                read.lastPosition = event.position
                guard let topic = try cells[0].decode(String?.self) else { continue }
                read.messages.append(OutboxMessage(topic: topic, key: event.stream, event: event))
            }
            return read
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The statement of ``read(after:limit:)`` (its plan is checked by the tests).
    package static func readQuery(schema: SchemaName, after position: Int64, limit: Int) -> PostgresQuery {
        """
        SELECT e.topic, \(unescaped: RecordedEvent.columns)
        FROM \(unescaped: schema.rawValue).events e
        WHERE e.position > \(position) ORDER BY e.position LIMIT \(limit)
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
