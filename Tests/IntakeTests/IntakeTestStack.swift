import API
import Domain
import Foundation
import Intake
import Kafka
import Logging
import PostgresNIO
import Store
import Testing

/// The one way intake tests reach the local stack (`ONEWINDOW_DATABASE_URL`,
/// `ONEWINDOW_KAFKA_BROKERS`): each test gets its own migrated store schema and its own topic
/// prefix. A missing stack fails the test with a clear message; it never skips.
struct IntakeTestStack: Sendable {
    let client: PostgresClient
    let store: StoreConfiguration
    let brokers: String
    let topics: IntakeTopics
    let protection: DataProtection
    let tokens: TokenAuthority
    let logger: Logger

    static let tokenSecret = "intake-tests-token-secret-0123456789abcdef"
    static let dataKey = "intake-tests-master-data-key-0123456789abcdef"

    var pipeline: IntakePipeline {
        IntakePipeline(client: client, store: store, protection: protection, organizations: Self.organizations, topics: topics, logger: logger)
    }
    var keys: PersonKeyStore { PersonKeyStore(client: client, configuration: store, logger: logger) }
    var schema: String { store.schema.rawValue }

    struct StackMissing: Error, CustomStringConvertible {
        let variable: String
        var description: String { "\(variable) is not set: start the stack and `eval \"$(ops/stack env)\"`, or run the suite through ops/test" }
    }

    /// Who may publish what in these tests: the organizations the examples name.
    static let organizations = OrganizationDirectory([
        Organization(id: "public-security", name: "Public Security", kind: .department,
                     publishes: [.residentRegistered, .residentMoved, .residentDeparted, .permitApplied, .permitIssued, .permitRejected, .certificateChecked]),
        Organization(id: "health", name: "Health", kind: .department, publishes: [.certificateChecked, .certificateIssued, .serviceRequested, .serviceDelivered]),
        Organization(id: "health-411523", name: "Health 411523", kind: .department, publishes: [.certificateIssued]),
        Organization(id: "housing", name: "Housing", kind: .department, publishes: [.housingUnitRegistered]),
        Organization(id: "human-resources", name: "Human Resources", kind: .department, publishes: [.serviceDelivered, .serviceRequested]),
        Organization(id: "education", name: "Education", kind: .department, publishes: [.serviceRequested]),
    ])

    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw StackMissing(variable: name) }
        return value
    }

    /// Runs `body` against a fresh schema and fresh topics (`<prefix>.ingest`, `<prefix>.rejected`).
    static func with<T: Sendable>(_ body: @Sendable (IntakeTestStack) async throws -> T) async throws -> T {
        let address = try DatabaseURL(try environment("ONEWINDOW_DATABASE_URL"))
        let brokers = try environment("ONEWINDOW_KAFKA_BROKERS")
        var logger = Logger(label: "intake-tests")
        logger.logLevel = .warning
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: address.clientConfiguration(maximumConnections: 10), backgroundLogger: poolLogger)
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let stack = IntakeTestStack(
            client: client, store: StoreConfiguration(schema: try SchemaName("intake_" + token)), brokers: brokers,
            topics: IntakeTopics(prefix: "intake-test-" + token), protection: try DataProtection(masterKey: dataKey),
            tokens: try await TokenAuthority(secret: tokenSecret), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Migrator(client: client, logger: logger).migrate([StoreMigrations.set(for: stack.store)])
            do {
                let result = try await body(stack)
                try? await stack.dropSchema()
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

    /// One number from SQL the test writes; `{schema}` names the test's schema.
    func count(_ sql: String) async throws -> Int64 {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "{schema}", with: schema)), logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    /// Text rows of SQL the test writes.
    func texts(_ sql: String) async throws -> [String] {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "{schema}", with: schema)), logger: logger)
        var out: [String] = []
        for try await value in rows.decode(String.self) { out.append(value) }
        return out
    }

    func token(org: String, role: Role = .departmentSystem) async throws -> String {
        try await tokens.issue(organization: try OrganizationID(org), role: role)
    }

    // MARK: Kafka

    var kafkaClient: KafkaClientConfiguration { KafkaClientConfiguration(brokerList: brokers) }

    func createTopics() async throws {
        let admin = try KafkaAdmin(configuration: kafkaClient, logger: logger)
        try await admin.createTopic(topics.ingest, partitions: 2)
        try await admin.createTopic(topics.rejected, partitions: 1)
    }

    func producer() throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(client: kafkaClient)
        configuration.lingerMilliseconds = 1
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    func consumer(topic: String, group: String) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(client: kafkaClient, groupID: group)
        configuration.sessionTimeoutMilliseconds = 6_000
        return try KafkaConsumer(configuration: configuration, topics: [topic], logger: logger)
    }

    /// Runs the ingest consumer service (and its producer) while `body` runs.
    func withIngestConsumer<T: Sendable>(_ body: @Sendable (KafkaProducer) async throws -> T) async throws -> T {
        let producer = try producer()
        let ingest = IngestConsumer(consumer: try consumer(topic: topics.ingest, group: topics.prefix + "-intake"),
                                    producer: producer, pipeline: pipeline, topics: topics, maxBatch: 500, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            group.addTask { try await ingest.run() }
            defer { group.cancelAll() }
            return try await body(producer)
        }
    }
}

/// Waits until `condition` holds, or fails after the deadline. Never a fixed sleep as a wait.
func eventually(_ what: String, deadline: Duration = .seconds(60), _ condition: @Sendable () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while clock.now < end {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("timed out waiting until \(what)")
    throw TimedOut()
}

struct TimedOut: Error {}
