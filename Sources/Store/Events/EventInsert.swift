import Foundation
import Logging
import PostgresNIO

/// The SQL of appending: one multi-row statement per append, binding one array per column
/// (UNNEST), so that a batch of thousands of events costs one round trip. Callers hold the
/// append lock (see ``AppendLock``).
enum EventInsert {
    /// Inserts the events that are not stored yet (by `(source, id)`, first occurrence wins),
    /// numbers each after its stream's current version, writes their outbox rows, and returns
    /// what was written by key.
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
            ), first_seen AS (
                SELECT DISTINCT ON (source, event_id) * FROM input ORDER BY source, event_id, ord
            ), fresh AS (
                SELECT f.*, row_number() OVER (PARTITION BY f.stream ORDER BY f.ord) AS n
                FROM first_seen f
                WHERE NOT EXISTS (SELECT 1 FROM \(unescaped: s).events e
                                  WHERE e.source = f.source AND e.event_id = f.event_id)
            ), versioned AS (
                SELECT f.*, coalesce(v.current, 0) + f.n AS stream_version
                FROM fresh f
                LEFT JOIN LATERAL (SELECT max(e.stream_version) AS current FROM \(unescaped: s).events e
                                   WHERE e.stream = f.stream) v ON true
            ), inserted AS (
                INSERT INTO \(unescaped: s).events
                    (stream, stream_version, type, time, actor, region, source, event_id, data, metadata)
                SELECT stream, stream_version, type, time, actor, nullif(region, ''), source, event_id,
                       data::jsonb, metadata::jsonb
                FROM versioned ORDER BY ord
                RETURNING position, stream_version, source, event_id, stream
            ), published AS (
                INSERT INTO \(unescaped: s).outbox (position, topic, key)
                SELECT i.position, v.topic, i.stream
                FROM inserted i JOIN versioned v ON v.source = i.source AND v.event_id = i.event_id
                WHERE v.topic <> ''
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
