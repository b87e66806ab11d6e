import PostgresNIO

extension EventStore {
    /// Up to `limit` events after `position`, in position order, gap-free: a position not
    /// returned now is never committed later (see ``AppendLock``), so a reader that keeps
    /// calling with the last position it saw sees every event exactly once, in order.
    /// Start from position 0.
    public func read(after position: Int64, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        let limit = min(max(1, limit), configuration.maximumReadLimit)
        let rows = try await client.collect("""
            SELECT \(unescaped: RecordedEvent.columns) FROM \(unescaped: schema.rawValue).events e
            WHERE e.position > \(position)
            ORDER BY e.position
            LIMIT \(limit)
            """, logger: logger)
        return try decode(rows)
    }

    /// Events of one stream from version `fromVersion` (1 = the beginning), in version order,
    /// at most `limit` — what a decider folds to rebuild a case's or a person's state.
    public func readStream(
        _ stream: String, fromVersion: Int64 = 1, limit: Int? = nil
    ) async throws(StoreError) -> [RecordedEvent] {
        let limit = min(max(1, limit ?? configuration.maximumReadLimit), configuration.maximumReadLimit)
        let rows = try await client.collect("""
            SELECT \(unescaped: RecordedEvent.columns) FROM \(unescaped: schema.rawValue).events e
            WHERE e.stream = \(stream) AND e.stream_version >= \(fromVersion)
            ORDER BY e.stream_version
            LIMIT \(limit)
            """, logger: logger)
        return try decode(rows)
    }

    /// The stream's last version; 0 when it has no events.
    public func currentVersion(of stream: String) async throws(StoreError) -> Int64 {
        let rows = try await client.collect(
            "SELECT coalesce(max(stream_version), 0) FROM \(unescaped: schema.rawValue).events WHERE stream = \(stream)",
            logger: logger)
        do { return try rows.first?.decode(Int64.self) ?? 0 } catch { throw StoreError.wrap(error) }
    }

    /// The event stored under `(source, id)`, if any.
    public func event(source: String, id: String) async throws(StoreError) -> RecordedEvent? {
        let rows = try await client.collect("""
            SELECT \(unescaped: RecordedEvent.columns) FROM \(unescaped: schema.rawValue).events e
            WHERE e.source = \(source) AND e.event_id = \(id)
            """, logger: logger)
        return try decode(rows).first
    }

    private func decode(_ rows: [PostgresRow]) throws(StoreError) -> [RecordedEvent] {
        do { return try rows.map { try RecordedEvent(row: $0) } } catch { throw StoreError.wrap(error) }
    }
}
