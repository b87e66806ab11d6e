import Foundation
import Logging
import PostgresNIO

/// The SQL of appending: one multi-row statement per append, binding one array per column
/// (UNNEST), so that a batch of thousands of events costs one round trip. Callers hold the
/// append lock (see ``AppendLock``).
enum EventInsert {
    /// Inserts the events that are not stored yet (by `(source, id)`; the caller passes each
    /// key at most once), numbers each after its stream's current version, writes their outbox
    /// rows, and returns what was written by key.
    ///
    /// The numbering and the duplicate check work on narrow rows (ordinal, stream, key), and the
    /// wide columns are joined back only for the insert: sorting the rows with their `data`
    /// cost a third of the statement.
    static func insert(
        _ events: [BatchedEvent], schema: SchemaName, on connection: PostgresConnection, logger: Logger
    ) async throws -> [EventKey: AppendedEvent] {
        let s = schema.rawValue
        let streams = events.map(\.stream)
        let ids = events.map(\.event.id)
        let sources = events.map(\.event.source)
        let types = events.map(\.event.type)
        let times = events.map(\.event.time)
        let actors = events.map(\.event.actor)
        let regions = events.map { $0.event.region ?? "" }
        let data = events.map { String(decoding: $0.event.data, as: UTF8.self) }
        let metadata = events.map { String(decoding: $0.event.metadata, as: UTF8.self) }
        let topics = events.map { $0.event.topic ?? "" }
        let query: PostgresQuery = """
            WITH input AS (
                SELECT * FROM unnest(\(streams)::text[], \(ids)::text[], \(sources)::text[], \(types)::text[],
                                     \(times)::timestamptz[], \(actors)::text[], \(regions)::text[],
                                     \(data)::text[], \(metadata)::text[], \(topics)::text[])
                    WITH ORDINALITY AS i(stream, event_id, source, type, time, actor, region, data, metadata, topic, ord)
            ), fresh AS (
                SELECT i.ord, i.stream, row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS n
                FROM input i
                WHERE NOT EXISTS (SELECT 1 FROM \(unescaped: s).events e
                                  WHERE e.source = i.source AND e.event_id = i.event_id)
            ), versioned AS (
                SELECT f.ord, f.n + coalesce((SELECT max(e.stream_version) FROM \(unescaped: s).events e
                                              WHERE e.stream = f.stream), 0) AS stream_version
                FROM fresh f
            ), inserted AS (
                INSERT INTO \(unescaped: s).events
                    (stream, stream_version, type, time, actor, region, source, event_id, data, metadata)
                SELECT i.stream, v.stream_version, i.type, i.time, i.actor, nullif(i.region, ''), i.source, i.event_id,
                       i.data::json, i.metadata::json
                FROM versioned v JOIN input i ON i.ord = v.ord
                ORDER BY v.ord
                RETURNING position, stream_version, source, event_id, stream
            ), published AS (
                INSERT INTO \(unescaped: s).outbox (position, topic, key)
                SELECT n.position, i.topic, n.stream
                FROM inserted n JOIN input i ON i.source = n.source AND i.event_id = n.event_id
                WHERE i.topic <> ''
            )
            SELECT position, stream_version, source, event_id FROM inserted
            """
        var appended: [EventKey: AppendedEvent] = [:]
        for row in try await connection.collect(query, logger: logger) {
            let (position, version, source, id) = try row.decode((Int64, Int64, String, String).self)
            appended[EventKey(source: source, id: id)] =
                AppendedEvent(position: position, streamVersion: version, source: source, id: id)
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
