import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` in one transaction on one leased connection: `COMMIT` when it returns,
    /// `ROLLBACK` when it throws. Unlike PostgresNIO's `withTransaction`, the body's own error
    /// comes out unchanged (wrapped as a ``StoreError``), so callers can match typed errors.
    package func inTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws(StoreError) -> Result {
        do {
            return try await withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                let result: Result
                do {
                    result = try await body(connection)
                } catch {
                    do { try await connection.query("ROLLBACK", logger: logger) } catch {
                        logger.warning("rollback failed", metadata: ["error": "\(StoreError.wrap(error))"])
                    }
                    throw error
                }
                try await connection.query("COMMIT", logger: logger)
                return result
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Runs one statement outside an explicit transaction and collects its rows.
    package func collect(_ query: PostgresQuery, logger: Logger) async throws(StoreError) -> [PostgresRow] {
        do {
            var rows: [PostgresRow] = []
            for try await row in try await self.query(query, logger: logger) { rows.append(row) }
            return rows
        } catch {
            throw StoreError.wrap(error)
        }
    }
}

extension PostgresConnection {
    /// Runs one statement and collects its rows.
    package func collect(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row) }
        return rows
    }
}
