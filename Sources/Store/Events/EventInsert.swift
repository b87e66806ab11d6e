import Foundation
import Logging
import PostgresNIO

/// Appending: one call of the store's `append_events` function per append (migrations 10, 12 and 13),
/// binding one array per column, so that a batch of thousands of events costs one round trip
/// and the append lock is held only while PostgreSQL inserts and commits.
enum EventInsert {
    /// Takes the append lock (a no-op when the transaction holds it already), inserts the
    /// events that are not stored yet (by `(source, id)`; the caller passes each key at most
    /// once), numbers each after its stream's current version, records each one's topic (the outbox), and
    /// returns what was written by key. Outside a transaction the call commits by itself.
    /// Streams marked ``BatchedEvent/newStream`` are numbered from 1 on the first try.
    static func insert(_ events: [BatchedEvent], schema: SchemaName) -> PostgresQuery {
        let streams = events.map(\.stream)
        let ids = events.map(\.event.id)
        let sources = events.map(\.event.source)
        let types = events.map(\.event.type)
        let times = events.map(\.event.time)
        let actors = events.map(\.event.actor)
        let regions = events.map { $0.event.region ?? "" }
        let data = events.map { JSONText(bytes: $0.event.data) }
        let metadata = events.map { JSONText(bytes: $0.event.metadata) }
        let topics = events.map { $0.event.topic ?? "" }
        let newStreams = events.map(\.newStream)
        let nth = ordinalsInStream(streams)
        return """
            SELECT ord, position, stream_version
            FROM \(unescaped: schema.rawValue).append_events(
                \(streams)::text[], \(ids)::text[], \(sources)::text[], \(types)::text[], \(times)::timestamptz[],
                \(actors)::text[], \(regions)::text[], \(data)::text[], \(metadata)::text[], \(topics)::text[],
                \(newStreams)::bool[], \(nth)::bigint[])
            """
    }

    /// For each of `streams`, how many times its stream occurs up to and including there (1 the
    /// first time): an event's version is that many after its stream's last stored one.
    static func ordinalsInStream(_ streams: [String]) -> [Int64] {
        func incremented(_ count: inout Int64) -> Int64 {
            count += 1
            return count
        }
        var seen: [String: Int64] = [:]
        seen.reserveCapacity(streams.count)
        return streams.map { incremented(&seen[$0, default: 0]) }  // one lookup per stream
    }

    /// What ``insert(_:schema:)`` wrote, by the index of the event in `events`: nil for an
    /// event it did not write (stored already).
    static func appended(_ rows: [PostgresRow], of events: [BatchedEvent]) throws -> [AppendedEvent?] {
        var appended = [AppendedEvent?](repeating: nil, count: events.count)
        for row in rows {
            // Cell by cell: decoding the row as a tuple went through the runtime's generic
            // metadata for every row.
            var cells = row.makeIterator()
            guard let first = cells.next(), let second = cells.next(), let third = cells.next() else {
                throw UnexpectedAppendRow(ordinal: nil, events: events.count)
            }
            let (ordinal, position, version) = (try first.decode(Int64.self), try second.decode(Int64.self), try third.decode(Int64.self))
            guard let index = Int(exactly: ordinal - 1), appended.indices.contains(index) else {
                throw UnexpectedAppendRow(ordinal: ordinal, events: events.count)
            }
            appended[index] = AppendedEvent(position: position, streamVersion: version,
                                            source: events[index].event.source, id: events[index].event.id)
        }
        return appended
    }

    /// How many of `events` are already stored, by `(source, id)`.
    static func countStored(
        _ events: [BatchedEvent], schema: SchemaName, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        let sources = events.map(\.event.source)
        let ids = events.map(\.event.id)
        let rows = try await connection.collect("""
            SELECT count(*) FROM \(unescaped: schema.rawValue).events e
            JOIN unnest(\(sources)::text[], \(ids)::text[]) AS k(source, event_id)
              ON e.source = k.source AND e.event_id = k.event_id
            """, logger: logger)
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// The stream's last version, 0 when it has no events.
    static func currentVersion(
        of stream: String, schema: SchemaName, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int64 {
        let rows = try await connection.collect(
            "SELECT coalesce(max(stream_version), 0) FROM \(unescaped: schema.rawValue).events WHERE stream = \(stream)",
            logger: logger)
        return try rows.first?.decode(Int64.self) ?? 0
    }
}

/// The append answered an ordinal outside the events it was given: a store function that does
/// not match this version of the code.
struct UnexpectedAppendRow: Error, CustomStringConvertible {
    /// Nil when the row had fewer than its three columns.
    let ordinal: Int64?
    let events: Int
    var description: String {
        guard let ordinal else { return "the store's append answered a row without ordinal, position and version" }
        return "the store's append answered event \(ordinal) of \(events)"
    }
}
