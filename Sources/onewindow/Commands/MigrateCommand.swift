import ArgumentParser
import Logging
import PostgresNIO
import Projector
import Store

/// `onewindow migrate`: create or upgrade the store (and, as they arrive, read models and timers).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the event store, read models and timers.")

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let logger = Logger(label: "onewindow.migrate")
        let applied = try await withPostgres(environment, logger: logger) { client in
            try await Migrator(client: client, logger: logger).migrate(OneWindowSchemas.all(readModels: environment.readModels))
        }
        if applied.isEmpty {
            print("migrate: everything is up to date")
        } else {
            for m in applied { print("migrate: applied \(m.schema) \(m.version) \(m.name)") }
        }
    }
}

/// Every schema OneWindow owns, in the order they must be migrated.
enum OneWindowSchemas {

    static func all(store: StoreConfiguration = StoreConfiguration(), readModels: ReadModelNamespace) -> [MigrationSet] {
        [StoreMigrations.set(for: store), ProjectorMigrations.set(schema: readModels.bookkeeping)]
    }
}

/// Runs `body` with a `PostgresClient` whose connection pool runs alongside, then stops it.
func withPostgres<T: Sendable>(
    _ environment: OneWindowEnvironment, logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: environment.databaseURL.clientConfiguration(maximumConnections: 4),
                                backgroundLogger: logger)
    return try await running(client) { try await body(client) }
}

/// Runs `body` while `client`'s connection pool runs, then stops the pool (so it stops after
/// everything `body` runs, services included). The pool is started immediately: `run()` marks
/// the client running before its first suspension, so no lease in `body` can come first (as
/// one did when the pool was one more service of a `ServiceGroup`, which starts its services in
/// no order, and PostgresNIO warned at every start about a lease before `run()`). A pool that
/// has not closed within `closeWithin` of `body`'s end stops the process with a fatal error
/// rather than leaving it running.
func running<T: Sendable>(_ client: PostgresClient, closeWithin limit: Duration = .seconds(15),
                          _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addImmediateTask { await client.run() }
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        group.cancelAll()
        let watchdog = Task {
            try await Task.sleep(for: limit)
            fatalError("the PostgreSQL pool did not close within \(limit) of the work that used it")
        }
        defer { watchdog.cancel() }
        try await group.waitForAll()
        return try outcome.get()
    }
}
