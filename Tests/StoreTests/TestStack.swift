import Foundation
import Logging
import PostgresNIO
import Store
import Testing

/// The one way store tests reach PostgreSQL: finds the stack from `ONEWINDOW_DATABASE_URL`,
/// gives each test its own freshly migrated schema (`store_<random>`), and drops it afterwards.
/// A missing stack is a failure, never a skip.
struct TestStack: Sendable {
    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    var events: EventStore { EventStore(client: client, configuration: configuration, logger: logger) }
    var outbox: Outbox { Outbox(client: client, configuration: configuration, logger: logger) }
    var ingest: IngestStatusStore { IngestStatusStore(client: client, configuration: configuration, logger: logger) }
    var keys: PersonKeyStore { PersonKeyStore(client: client, configuration: configuration, logger: logger) }
    var migrator: Migrator { Migrator(client: client, logger: logger) }
    var schema: String { configuration.schema.rawValue }

    struct StackMissing: Error, CustomStringConvertible {
        var description: String {
            "ONEWINDOW_DATABASE_URL is not set: start the stack and export its variables "
                + "(`eval \"$(ops/stack env)\"`), or run the suite through ops/test"
        }
    }

    /// Runs `body` against a new, migrated schema, with a running client.
    /// - Parameter migrated: false leaves the schema uncreated, for migration tests.
    static func withStore<T: Sendable>(
        migrated: Bool = true, maximumConnections: Int = 20,
        _ body: @Sendable (TestStack) async throws -> T
    ) async throws -> T {
        guard let url = ProcessInfo.processInfo.environment["ONEWINDOW_DATABASE_URL"], !url.isEmpty else {
            throw StackMissing()  // fails the test with the message; never a skip
        }
        let address = try DatabaseURL(url)
        var logger = Logger(label: "store-tests")
        logger.logLevel = .warning
        // The pool warns when a lease races the client's start-up below; that race is benign.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: address.clientConfiguration(maximumConnections: maximumConnections),
                                    backgroundLogger: poolLogger)
        let schemaName = "store_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let stack = TestStack(client: client, configuration: StoreConfiguration(schema: try SchemaName(schemaName)),
                              logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            if migrated {
                try await stack.migrator.migrate([StoreMigrations.set(for: stack.configuration)])
            }
            do {
                let result = try await body(stack)
                try await stack.dropSchema()
                return result
            } catch {
                try? await stack.dropSchema()
                throw error
            }
        }
    }

    private func dropSchema() async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
    }

    /// Runs one statement the test writes itself; `{schema}` names the test's schema.
    func execute(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "{schema}", with: schema)), logger: logger)
    }

    /// What `pg_stat_user_tables` says was done to one of the schema's tables. Each backend
    /// reports its counters when it goes idle, at most once a second and within about ten.
    struct TableActivity: Equatable, Sendable {
        var sequentialScans: Int64
        var rowsReadSequentially: Int64
        var indexScans: Int64
        var inserted: Int64
    }

    func activity(of table: String) async throws -> TableActivity {
        let rows = try await client.query("""
            SELECT seq_scan, seq_tup_read, coalesce(idx_scan, 0), n_tup_ins FROM pg_stat_user_tables
            WHERE schemaname = \(schema) AND relname = \(table)
            """, logger: logger)
        for try await (scans, read, indexScans, inserted) in rows.decode((Int64, Int64, Int64, Int64).self) {
            return TableActivity(sequentialScans: scans, rowsReadSequentially: read, indexScans: indexScans, inserted: inserted)
        }
        return TableActivity(sequentialScans: 0, rowsReadSequentially: 0, indexScans: 0, inserted: 0)
    }

    /// One number from a query the test writes itself, e.g. `SELECT count(*) FROM <schema>.events`.
    func count(_ sql: String) async throws -> Int64 {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "{schema}", with: schema)),
                                          logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }
}

/// Builds events for tests.
enum Fixture {
    static func event(
        id: String = UUID().uuidString, source: String = "/orgs/test/desk", type: String = "onewindow.test.happened.v1",
        topic: String? = "onewindow.person", data: String = #"{"n":1}"#
    ) -> NewEvent {
        NewEvent(id: id, source: source, type: type, time: Date(timeIntervalSince1970: 1_772_000_000),
                 actor: "test-org", region: "320505001001", data: Data(data.utf8), topic: topic)
    }
}
