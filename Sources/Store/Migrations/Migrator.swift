import Logging
import PostgresNIO

/// Applies ``MigrationSet``s: each migration in its own transaction, recorded in
/// `<schema>.schema_migrations`, under a transaction-scoped advisory lock so that several
/// processes migrating at once apply every step exactly once. Running it again changes nothing.
public struct Migrator: Sendable {
    /// One migration that this run applied.
    public struct Applied: Sendable, Equatable {
        public let schema: String
        public let version: Int
        public let name: String
    }

    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Brings every schema up to its newest migration and returns the migrations applied now
    /// (empty when all were applied before).
    @discardableResult
    public func migrate(_ sets: [MigrationSet]) async throws(StoreError) -> [Applied] {
        var applied: [Applied] = []
        for set in sets {
            try set.validate()
            for migration in set.migrations {
                if try await apply(migration, in: set.schema) {
                    applied.append(Applied(schema: set.schema.rawValue, version: migration.version, name: migration.name))
                }
            }
        }
        return applied
    }

    /// Applies one migration unless it is already recorded; true when it ran now.
    private func apply(_ migration: Migration, in schema: SchemaName) async throws(StoreError) -> Bool {
        let logger = logger
        do {
            return try await client.inTransaction(logger: logger) { connection in
                // One lock for all migrations of all schemas: migrating is rare and short, and a
                // single lock also serialises `CREATE SCHEMA IF NOT EXISTS`, which races otherwise.
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext('onewindow.migrate'))", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """), logger: logger)
                let done = try await connection.collect(
                    "SELECT 1 FROM \(unescaped: schema.rawValue).schema_migrations WHERE version = \(migration.version)",
                    logger: logger)
                guard done.isEmpty else { return false }
                for statement in migration.statements(in: schema) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO \(unescaped: schema.rawValue).schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                logger.info("migration applied", metadata: [
                    "schema": "\(schema)", "version": "\(migration.version)", "name": "\(migration.name)",
                ])
                return true
            }
        } catch {
            throw .migrationFailed(schema: schema.rawValue, version: migration.version, underlying: error)
        }
    }
}
