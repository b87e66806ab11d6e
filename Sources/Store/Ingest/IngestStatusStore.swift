import Logging
import PostgresNIO

/// What became of an event sent to OneWindow, by `(source, id)`.
public enum IngestStatus: Sendable, Equatable {
    /// Stored at this global position.
    case accepted(position: Int64)
    /// Refused, with the reason (and the field, when one field was at fault).
    case rejected(reason: String, field: String?)
    /// Never seen.
    case unknown
}

/// A refusal to record: the event's `(source, id)`, the reason and the field at fault.
public struct IngestRejection: Sendable, Equatable {
    public var source: String
    public var id: String
    public var reason: String
    public var field: String?

    public init(source: String, id: String, reason: String, field: String?) {
        self.source = source
        self.id = id
        self.reason = reason
        self.field = field
    }
}

/// Answers "what happened to my event?" for both doors. Acceptances are the events table
/// itself (unique by `(source, id)`); rejections are kept in `ingest_rejections`.
public struct IngestStatusStore: Sendable {
    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public init(client: PostgresClient, configuration: StoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Records one rejection; a later rejection of the same `(source, id)` replaces the reason.
    public func recordRejection(_ rejection: IngestRejection) async throws(StoreError) {
        try await recordRejections([rejection])
    }

    /// Records many rejections in one statement (the intake's path). If the same
    /// `(source, id)` appears twice, the last one wins.
    public func recordRejections(_ rejections: [IngestRejection]) async throws(StoreError) {
        guard !rejections.isEmpty else { return }
        var latest: [EventKey: IngestRejection] = [:]
        for rejection in rejections { latest[EventKey(source: rejection.source, id: rejection.id)] = rejection }
        let unique = Array(latest.values)
        let sources = unique.map(\.source)
        let ids = unique.map(\.id)
        let reasons = unique.map(\.reason)
        let fields = unique.map { $0.field ?? "" }
        _ = try await client.collect("""
            INSERT INTO \(unescaped: configuration.schema.rawValue).ingest_rejections AS r (source, event_id, reason, field)
            SELECT source, event_id, reason, nullif(field, '')
            FROM unnest(\(sources)::text[], \(ids)::text[], \(reasons)::text[], \(fields)::text[])
                AS i(source, event_id, reason, field)
            ON CONFLICT (source, event_id) DO UPDATE
                SET reason = excluded.reason, field = excluded.field, rejected_at = now()
            """, logger: logger)
    }

    /// The status of `(source, id)`. An accepted event stays accepted even if a later resend
    /// of the same id was rejected.
    public func status(source: String, id: String) async throws(StoreError) -> IngestStatus {
        let s = configuration.schema.rawValue
        let rows = try await client.collect("""
            SELECT 0 AS rank, e.position, NULL::text AS reason, NULL::text AS field
            FROM \(unescaped: s).events e WHERE e.source = \(source) AND e.event_id = \(id)
            UNION ALL
            SELECT 1, NULL::bigint, r.reason, r.field
            FROM \(unescaped: s).ingest_rejections r WHERE r.source = \(source) AND r.event_id = \(id)
            ORDER BY rank
            LIMIT 1
            """, logger: logger)
        guard let row = rows.first else { return .unknown }
        do {
            let (_, position, reason, field) = try row.decode((Int32, Int64?, String?, String?).self)
            if let position { return .accepted(position: position) }
            return .rejected(reason: reason ?? "", field: field)
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
