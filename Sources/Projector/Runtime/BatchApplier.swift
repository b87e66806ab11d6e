import Foundation
import Logging
import PostgresNIO
import Store

/// Applies batches of events to one version of one projection, exactly once: the handlers'
/// writes, the consumed offsets and the progress commit in one transaction, and events at
/// offsets the version already consumed are dropped inside that transaction (so a batch
/// replayed after a crash or a rebalance changes nothing twice).
///
/// A batch whose handler fails is split in halves until the failing event is alone; that
/// event is parked with PostgreSQL's message and skipped, and the rest apply.
struct BatchApplier: Sendable {
    let definition: ProjectionDefinition
    let version: ProjectionVersion
    let registry: ProjectionRegistry
    let revealer: PersonalDataRevealer?
    let logger: Logger

    /// What happened to a batch.
    struct Outcome: Sendable, Equatable {
        var applied = 0
        var skipped = 0
        var parked = 0
    }

    /// The version was retired (a rebuild switched past it): stop consuming.
    struct VersionRetired: Error {}

    /// A handler statement failed on the server: the batch holds a poison event.
    struct HandlerFailed: Error, CustomStringConvertible {
        let statement: Int
        let message: String
        var description: String { "handler statement \(statement + 1): \(message)" }
    }

    /// Applies `events` (in consumption order) and returns the counts.
    func apply(_ events: [BatchEvent]) async throws -> Outcome {
        guard !events.isEmpty else { return Outcome() }
        var events = events
        if let revealer, version.consumption(or: definition).reveal { try await revealer.reveal(&events) }
        return try await applySplitting(events[...])
    }

    private func applySplitting(_ events: ArraySlice<BatchEvent>) async throws -> Outcome {
        do {
            return try await transaction(events, park: nil)
        } catch let failure as HandlerFailed {
            if events.count == 1 {
                logger.warning("event parked", metadata: [
                    "projection": "\(definition.name)", "version": "\(version.version)",
                    "topic": "\(events.first!.topic)", "partition": "\(events.first!.partition)",
                    "offset": "\(events.first!.offset)", "reason": "\(failure.message)",
                ])
                return try await transaction(events, park: failure.description)
            }
            let middle = events.startIndex + events.count / 2
            var outcome = try await applySplitting(events[..<middle])
            let rest = try await applySplitting(events[middle...])
            outcome.applied += rest.applied
            outcome.skipped += rest.skipped
            outcome.parked += rest.parked
            return outcome
        }
    }

    /// One transaction: lock the version, drop what it already consumed, stage the rest in
    /// rounds and run the handlers (or park the single event when `park` is given), then
    /// advance the offsets and the progress.
    private func transaction(_ events: ArraySlice<BatchEvent>, park reason: String?) async throws -> Outcome {
        let (s, name, number, logger) = (registry.schema.rawValue, definition.name, version.version, logger)
        // The version's own handlers and types: a live version runs on with them while a
        // changed definition is rebuilt beside it.
        let handlers = (version.handlers ?? definition.handlersSQL).rendered(schema: version.schema)
        let types = version.consumption(or: definition).types
        do {
            return try await registry.client.inTransaction(logger: logger) { connection in
                let state = try await connection.collect(
                    "SELECT state FROM \(unescaped: s).versions WHERE projection = \(name) AND version = \(number) FOR SHARE",
                    logger: logger)
                guard let current = try state.first?.decode(String.self), current != "retired" else { throw VersionRetired() }

                // The offsets this version has consumed, locked for the rest of the transaction.
                var partitions: [String: Set<Int32>] = [:]
                for event in events { partitions[event.topic, default: []].insert(event.partition) }
                var topics: [String] = []
                var numbers: [Int32] = []
                for (topic, set) in partitions { for partition in set { topics.append(topic); numbers.append(partition) } }
                try await connection.query(
                    """
                    INSERT INTO \(unescaped: s).offsets (projection, version, topic, partition, next_offset)
                    SELECT \(name), \(number), t, p, 0 FROM unnest(\(topics)::text[], \(numbers)::int[]) AS u(t, p)
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
                let rows = try await connection.collect(
                    """
                    SELECT topic, partition, next_offset FROM \(unescaped: s).offsets
                    WHERE projection = \(name) AND version = \(number)
                      AND (topic, partition) IN (SELECT * FROM unnest(\(topics)::text[], \(numbers)::int[]))
                    ORDER BY topic, partition FOR UPDATE
                    """, logger: logger)
                var next: [String: [Int32: Int64]] = [:]
                for row in rows {
                    let (topic, partition, offset) = try row.decode((String, Int32, Int64).self)
                    next[topic, default: [:]][partition] = offset
                }

                // Keep only what this version has not consumed; `advanced` ends as the new offsets.
                var fresh: [BatchEvent] = []
                var advanced = next
                for event in events where event.offset >= advanced[event.topic]?[event.partition] ?? 0 {
                    fresh.append(event)
                    advanced[event.topic, default: [:]][event.partition] = event.offset + 1
                }
                var outcome = Outcome(skipped: events.count - fresh.count)
                guard !fresh.isEmpty else { return outcome }

                if let reason {
                    let event = fresh[0]
                    try await connection.query(
                        """
                        INSERT INTO \(unescaped: s).parked (projection, version, topic, partition, kafka_offset, event_id, event_type, position, reason)
                        VALUES (\(name), \(number), \(event.topic), \(event.partition), \(event.offset),
                                \(event.eventID), \(event.type), \(event.position), \(reason))
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                    outcome.parked = 1
                } else {
                    let relevant = fresh.filter { $0.type.map(types.contains) ?? true }
                    try await Self.stage(relevant, handlers: handlers, connection: connection, logger: logger)
                    outcome.applied = relevant.count
                    outcome.skipped += fresh.count - relevant.count
                }

                var newTopics: [String] = []
                var newPartitions: [Int32] = []
                var newOffsets: [Int64] = []
                for (topic, byPartition) in advanced {
                    for (partition, offset) in byPartition where offset != next[topic]?[partition] {
                        newTopics.append(topic)
                        newPartitions.append(partition)
                        newOffsets.append(offset)
                    }
                }
                try await connection.query(
                    """
                    UPDATE \(unescaped: s).offsets o SET next_offset = u.n
                    FROM unnest(\(newTopics)::text[], \(newPartitions)::int[], \(newOffsets)::bigint[]) AS u(t, p, n)
                    WHERE o.projection = \(name) AND o.version = \(number) AND o.topic = u.t AND o.partition = u.p
                    """, logger: logger)
                let lastPosition = fresh.compactMap(\.position).max()
                let lastTime = fresh.compactMap(\.time).max()
                try await connection.query(
                    """
                    UPDATE \(unescaped: s).progress SET applied = applied + \(Int64(outcome.applied)),
                        last_position = greatest(last_position, \(lastPosition)),
                        last_event_time = greatest(last_event_time, \(lastTime)::timestamptz),
                        updated_at = now()
                    WHERE projection = \(name) AND version = \(number)
                    """, logger: logger)
                return outcome
            }
        } catch {
            if case .database(_, let inner) = error, let failure = inner as? HandlerFailed { throw failure }
            if case .database(_, let inner) = error, inner is VersionRetired { throw VersionRetired() }
            throw error
        }
    }

    /// The batch table the handlers read; one per session, emptied at every commit.
    static let createBatchTable = """
        CREATE TEMP TABLE IF NOT EXISTS batch (
            seq bigint, topic text, subject text, event_id text, source text, type text, time timestamptz,
            position bigint, actor text, region text, person_id uuid, data jsonb
        ) ON COMMIT DELETE ROWS
        """

    /// Stages `events` round by round (each subject at most once per round) and runs the
    /// handlers on each round.
    static func stage(_ events: [BatchEvent], handlers: [String], connection: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        try await connection.query(PostgresQuery(unsafeSQL: createBatchTable), logger: logger)
        for (index, round) in rounds(events).enumerated() {
            if index > 0 { try await connection.query("TRUNCATE batch", logger: logger) }
            let seqs = round.map { Int64($0.seq) }
            let canonical = round.map(\.event.canonical)
            let subjects = round.map(\.event.subject)
            let values = round.map(\.event.value)
            let revealed = round.map(\.event.revealed)
            do {
                try await connection.query(
                    """
                    INSERT INTO batch (seq, topic, subject, event_id, source, type, time, position, actor, region, person_id, data)
                    SELECT u.seq, u.topic, u.subject, e->>'id', e->>'source', e->>'type', (e->>'time')::timestamptz,
                           (e->>'position')::bigint, e->>'actor', e->>'region',
                           CASE WHEN u.topic = 'person' THEN coalesce(e->>'personid', u.subject)::uuid END,
                           coalesce(nullif(u.revealed, '')::jsonb, e->'data')
                    FROM unnest(\(seqs)::bigint[], \(canonical)::text[], \(subjects)::text[], \(values)::text[], \(revealed)::text[])
                         AS u(seq, topic, subject, raw, revealed),
                         LATERAL (SELECT u.raw::jsonb AS e OFFSET 0) AS j  -- OFFSET 0: parse each event once, not once per column
                    """, logger: logger)
            } catch let error as PSQLError {
                throw HandlerFailed(statement: -1, message: "the event cannot be staged: " + Self.message(error))
            }
            for (number, statement) in handlers.enumerated() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch let error as PSQLError where error.serverInfo != nil {
                    throw HandlerFailed(statement: number, message: Self.message(error))
                }
            }
        }
    }

    /// Splits `events` where a subject repeats: round 1 holds each subject's first event, round
    /// 2 the second, … (`seq` keeps the batch order).
    static func rounds(_ events: [BatchEvent]) -> [[(seq: Int, event: BatchEvent)]] {
        var seen: [String: Int] = [:]
        var rounds: [[(seq: Int, event: BatchEvent)]] = []
        for (seq, event) in events.enumerated() {
            let round = seen[event.subject, default: 0]
            seen[event.subject] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append((seq, event))
        }
        return rounds
    }

    static func message(_ error: PSQLError) -> String {
        guard let info = error.serverInfo else { return "\(error.code)" }
        var text = info[.message] ?? "\(error.code)"
        if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
        if let detail = info[.detail] { text += ": \(detail)" }
        return text
    }
}
