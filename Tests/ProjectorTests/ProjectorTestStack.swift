import Crypto
import Domain
import Foundation
import Intake
import Kafka
import Logging
import PostgresNIO
@testable import Projector
import Relay
import Store
import Testing

/// The one way projector tests reach the local stack: PostgreSQL from `ONEWINDOW_DATABASE_URL`
/// with a private read-model namespace and store schema per test (dropped afterwards), and
/// the broker from `ONEWINDOW_KAFKA_BROKERS` with a private topic prefix. A missing stack is a
/// failure with a clear message, never a skip.
struct ProjectorTestStack: Sendable {
    let client: PostgresClient
    let namespace: ReadModelNamespace
    let store: StoreConfiguration
    let protection: DataProtection
    /// The master key of `protection`, base64 (for a projector started as a process).
    let masterKey: String
    let brokers: String
    let naming: TopicNaming
    let logger: Logger

    var registry: ProjectionRegistry { ProjectionRegistry(client: client, namespace: namespace, logger: logger) }
    var kafka: KafkaClientConfiguration { KafkaClientConfiguration(brokerList: brokers) }
    var revealer: PersonalDataRevealer {
        PersonalDataRevealer(keys: PersonKeyStore(client: client, configuration: store, logger: logger), protection: protection)
    }

    struct StackMissing: Error, CustomStringConvertible {
        let variable: String
        var description: String {
            "\(variable) is not set: start the stack and export its variables (`eval \"$(ops/stack env)\"`), or run the suite through ops/test"
        }
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog: ProjectionCatalog = {
        do { return try ProjectionCatalog.load(root: repositoryRoot.appendingPathComponent("Projections")) } catch {
            fatalError("Projections/ does not load: \(error)")
        }
    }()

    static func with<T: Sendable>(_ body: @Sendable (ProjectorTestStack) async throws -> T) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["ONEWINDOW_DATABASE_URL"], !url.isEmpty else { throw StackMissing(variable: "ONEWINDOW_DATABASE_URL") }
        guard let brokers = environment["ONEWINDOW_KAFKA_BROKERS"], !brokers.isEmpty else { throw StackMissing(variable: "ONEWINDOW_KAFKA_BROKERS") }
        var logger = Logger(label: "projector-tests")
        logger.logLevel = .error
        let client = PostgresClient(configuration: try DatabaseURL(url).clientConfiguration(maximumConnections: 8), backgroundLogger: logger)
        let suffix = uniqueSuffix(10)
        let master = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let stack = ProjectorTestStack(
            client: client, namespace: try ReadModelNamespace(prefix: "t\(suffix)_"),
            store: StoreConfiguration(schema: try SchemaName("t\(suffix)_store")),
            protection: try DataProtection(masterKey: master), masterKey: master.base64EncodedString(),
            brokers: brokers, naming: TopicNaming(prefix: "projtest-\(suffix)"), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            _ = try await Migrator(client: client, logger: logger).migrate([
                StoreMigrations.set(for: stack.store), ProjectorMigrations.set(schema: stack.namespace.bookkeeping),
            ])
            do {
                let result = try await body(stack)
                try await stack.dropSchemas()
                return result
            } catch {
                try? await stack.dropSchemas()
                throw error
            }
        }
    }

    static func uniqueSuffix(_ length: Int) -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(length))
    }

    private func dropSchemas() async throws {
        let rows = try await client.collect(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, \(namespace.prefix))", logger: logger)
        for row in rows {
            let name = try row.decode(String.self)
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(name) CASCADE"), logger: logger)
        }
    }

    /// Gives `person` a data key (as the intake would at registration) and returns it.
    func key(for person: UUID) async throws -> SymmetricKey {
        let keys = PersonKeyStore(client: client, configuration: store, logger: logger)
        if let wrapped = try await keys.wrappedKey(of: person) { return try protection.unwrap(wrapped, for: person) }
        let key = protection.newPersonKey()
        let uuid = withUnsafeBytes(of: person.uuid) { Array($0) }  // 16 bytes, twice: unique per person
        _ = try await keys.resolvePeople([BlindHash(uuid + uuid)!: NewPerson(id: person, wrappedKey: try protection.wrap(key, for: person))])
        return key
    }

    /// Deletes a person's data key, as `onewindow erase` does before their erasure event reaches a projector.
    func eraseKey(of person: UUID) async throws {
        _ = try await PersonKeyStore(client: client, configuration: store, logger: logger).erase(person: person)
    }

    /// The view's full contents, each value rendered as text (nil for NULL).
    func contents(of definition: ProjectionDefinition) async throws -> [[String: String?]] {
        let columns = definition.columns.map { ViewReader.rendered($0.name, $0.type) }.joined(separator: ", ")
        let rows = try await client.collect(
            PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \(namespace.viewSchema(definition)).\(definition.sqlName)"), logger: logger)
        return try rows.map { row in
            let cells = row.makeRandomAccess()
            var values: [String: String?] = [:]
            for (index, column) in definition.columns.enumerated() { values[column.name] = try cells[index].decode(String?.self) }
            return values
        }
    }

    /// Every table of `schema`, each as its rows in JSON text, sorted: for comparing versions.
    func tables(in schema: String) async throws -> [String: [String]] {
        let names = try await client.collect(
            "SELECT tablename FROM pg_tables WHERE schemaname = \(schema) ORDER BY tablename", logger: logger)
        var result: [String: [String]] = [:]
        for row in names {
            let table = try row.decode(String.self)
            let rows = try await client.collect(
                PostgresQuery(unsafeSQL: "SELECT to_jsonb(t)::text FROM \(schema).\(table) t ORDER BY 1"), logger: logger)
            result[table] = try rows.map { try $0.decode(String.self) }
        }
        return result
    }
}

extension PostgresClient {
    func collect(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row) }
        return rows
    }
}
