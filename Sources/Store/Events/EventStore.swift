import Logging
import PostgresNIO

/// The system of record: appends events with optimistic concurrency and idempotency, writing
/// their outbox entries (each event's topic) in the same transaction, and reads them back gap-free by position.
///
/// The caller owns the `PostgresClient` and runs it (as a service in a `ServiceGroup`, or in a
/// task); this value only borrows connections from it.
public struct EventStore: Sendable {
    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public init(client: PostgresClient, configuration: StoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    var schema: SchemaName { configuration.schema }

    /// Appends `events`, in order, to one stream if it is at `expectedVersion`.
    ///
    /// Idempotent: when every event's `(source, id)` is already stored the answer is
    /// ``AppendResult/duplicate`` and nothing changes (a retried command lands here rather
    /// than on a version conflict). Throws ``StoreError/versionConflict(stream:expected:actual:)``
    /// when the stream has moved, ``StoreError/partialDuplicate(stream:)`` when only some events
    /// are stored; in both cases nothing is written.
    public func append(
        stream: String, expectedVersion: ExpectedVersion, events: [NewEvent]
    ) async throws(StoreError) -> AppendResult {
        guard !events.isEmpty else { return .appended([]) }
        guard Set(events.map { EventKey(source: $0.source, id: $0.id) }).count == events.count else {
            throw .repeatedEventInAppend
        }
        let (schema, logger) = (schema, logger)
        let batch = events.map { BatchedEvent(stream: stream, event: $0) }
        return try await client.inTransaction(logger: logger) { connection in
            try await AppendLock.take(on: connection, schema: schema, logger: logger)
            let stored = try await EventInsert.countStored(batch, schema: schema, on: connection, logger: logger)
            if stored == events.count { return .duplicate }
            if stored > 0 { throw StoreError.partialDuplicate(stream: stream) }
            let current = try await EventInsert.currentVersion(of: stream, schema: schema, on: connection, logger: logger)
            guard expectedVersion.accepts(current: current) else {
                throw StoreError.versionConflict(stream: stream, expected: expectedVersion, actual: current)
            }
            let appended = try EventInsert.appended(
                try await connection.collect(EventInsert.insert(batch, schema: schema), logger: logger), of: batch)
            return .appended(appended.compactMap { $0 })
        }
    }

    /// Appends events of many streams in one transaction and one statement — the intake's path.
    ///
    /// Each event goes to the end of its stream (no version check). An event whose
    /// `(source, id)` is already stored, or appears earlier in the same batch, is a duplicate
    /// and changes nothing. Returns one outcome per event, in the order given.
    public func appendBatch(_ events: [BatchedEvent]) async throws(StoreError) -> [BatchOutcome] {
        guard !events.isEmpty else { return [] }
        // A key repeated in the batch is sent once; its repeats are duplicates.
        var sent = Set<EventKey>(minimumCapacity: events.count)
        var repeated: Set<Int> = []
        for index in events.indices where !sent.insert(EventKey(source: events[index].event.source, id: events[index].event.id)).inserted {
            repeated.insert(index)
        }
        // Almost always none: then the batch is sent as it is, without copying every event.
        // `given`: the index in `events` of each one sent.
        let given = repeated.isEmpty ? Array(events.indices) : events.indices.filter { !repeated.contains($0) }
        let distinct = repeated.isEmpty ? events : given.map { events[$0] }
        // One statement, its own transaction: the lock is taken and released inside it.
        let rows = try await client.collect(EventInsert.insert(distinct, schema: schema), logger: logger)
        let appended: [AppendedEvent?]
        do { appended = try EventInsert.appended(rows, of: distinct) } catch { throw StoreError.wrap(error) }
        var outcomes = [BatchOutcome](repeating: .duplicate, count: events.count)
        for (index, event) in zip(given, appended) {
            if let event { outcomes[index] = .appended(event) }
        }
        return outcomes
    }
}

/// `(source, id)`: what makes an event unique.
struct EventKey: Hashable, Sendable {
    let source: String
    let id: String
}
