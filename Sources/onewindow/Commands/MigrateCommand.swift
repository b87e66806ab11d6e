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
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
