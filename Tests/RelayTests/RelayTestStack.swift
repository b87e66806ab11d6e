import Foundation
import Kafka
import Logging
import PostgresNIO
import Relay
import Store
import Synchronization
import Testing
import TestSupport

/// The one way relay tests reach the local stack: PostgreSQL from `ONEWINDOW_DATABASE_URL`
/// (a freshly migrated private schema per test, dropped afterwards) and the broker from
/// `ONEWINDOW_KAFKA_BROKERS` (a private topic prefix per test). A missing stack is a
/// failure with a clear message, never a skip.
struct RelayTestStack: Sendable {
    let client: PostgresClient
    let store: StoreConfiguration
    let brokers: String
    let topics: TopicNaming
    let logger: Logger

    var events: EventStore { EventStore(client: client, configuration: store, logger: logger) }
    var outbox: Outbox { Outbox(client: client, configuration: store, logger: logger) }
    var kafkaClient: KafkaClientConfiguration { KafkaClientConfiguration(brokerList: brokers) }

    struct StackMissing: Error, CustomStringConvertible {
        let variable: String
        var description: String {
            "\(variable) is not set: start the stack and export its variables "
                + "(`eval \"$(ops/stack env)\"`), or run the suite through ops/test"
        }
    }

    /// Runs `body` with a running PostgreSQL client, a new migrated schema and a new topic
    /// prefix whose canonical topics exist (3 partitions each).
    static func with<T: Sendable>(_ body: @Sendable (RelayTestStack) async throws -> T) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["ONEWINDOW_DATABASE_URL"], !url.isEmpty else {
            throw StackMissing(variable: "ONEWINDOW_DATABASE_URL")
        }
        guard let brokers = environment["ONEWINDOW_KAFKA_BROKERS"], !brokers.isEmpty else {
            throw StackMissing(variable: "ONEWINDOW_KAFKA_BROKERS")
        }
        var logger = Logger(label: "relay-tests")
        logger.logLevel = .warning
        var poolLogger = logger
        poolLogger.logLevel = .error  // the pool warns about a benign lease-before-run race
        let client = PostgresClient(configuration: try DatabaseURL(url).clientConfiguration(maximumConnections: 8),
                                    backgroundLogger: poolLogger)
        let schema = try SchemaName("relay_" + uniqueSuffix(16))
        let stack = RelayTestStack(client: client, store: StoreConfiguration(schema: schema), brokers: brokers,
                                   topics: TopicNaming(prefix: "relaytest-" + uniqueSuffix(10)), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            _ = try await Migrator(client: client, logger: logger).migrate([StoreMigrations.set(for: stack.store)])
            do {
                try await stack.ensureTopics(stack.topics)
                let result = try await body(stack)
                try await stack.dropSchema()
                return result
            } catch {
                try? await stack.dropSchema()
                throw error
            }
        }
    }

    static func uniqueSuffix(_ length: Int) -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(length))
    }

    func ensureTopics(_ naming: TopicNaming) async throws {
        let admin = try KafkaAdmin(configuration: kafkaClient, logger: logger)
        try await CanonicalTopics.ensure(admin: admin, naming: naming,
                                         partitions: [.person: 3, .housing: 3, .case: 3])
    }

    private func dropSchema() async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(store.schema.rawValue) CASCADE"),
                               logger: logger)
    }

    func producerConfiguration() -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(client: kafkaClient)
        configuration.lingerMilliseconds = 1
        return configuration
    }

    /// A relay configuration for this test's prefix that polls fast and retries fast.
    func relayConfiguration(batchSize: Int = 5_000) -> RelayConfiguration {
        RelayConfiguration(topics: topics, batchSize: batchSize, idleWait: .milliseconds(5),
                           retryInitialDelay: .milliseconds(50), retryMaximumDelay: .milliseconds(500))
    }

    /// Runs `body` with a producer whose service loop runs alongside; cancels it afterwards.
    func withProducer<T: Sendable>(
        _ configuration: KafkaProducerConfiguration? = nil,
        _ body: @Sendable (KafkaProducer) async throws -> T
    ) async throws -> T {
        let producer = try KafkaProducer(configuration: configuration ?? producerConfiguration(), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            defer { group.cancelAll() }
            return try await body(producer)
        }
    }

    /// Runs a relay (and its producer) until `condition` holds or the deadline passes, then
    /// cancels it. Returns whether the condition was met.
    @discardableResult
    func runRelay(
        _ configuration: RelayConfiguration, producer producerConfiguration: KafkaProducerConfiguration? = nil,
        until condition: @Sendable () async throws -> Bool
    ) async throws -> Bool {
        try await withProducer(producerConfiguration) { producer in
            let relay = OutboxRelay(outbox: outbox, producer: producer, configuration: configuration, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await relay.run() }
                defer { group.cancelAll() }
                return try await eventually(condition)
            }
        }
    }

    /// Runs the relay until its progress mark reaches the outbox's last position.
    func relayEverything(_ configuration: RelayConfiguration) async throws {
        let last = try await lastOutboxPosition()
        let done = try await runRelay(configuration) { try await outbox.progress(of: configuration.name) >= last }
        #expect(done, "the relay did not reach position \(last) in time")
    }

    func lastOutboxPosition() async throws -> Int64 {
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT coalesce(max(position), 0) FROM \(store.schema.rawValue).events WHERE topic IS NOT NULL"), logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    /// Every record now on the canonical topics of `naming`, read by a new consumer group
    /// until it has at least `count` records and then nothing more arrives for half a
    /// second (so surplus copies show), in (topic, partition, offset) order. The count comes
    /// from the test, not from the broker's high-water marks: tansu reports the base offset
    /// of the last batch plus one, which undercounts topics written in batches.
    func readAll(_ naming: TopicNaming? = nil, atLeast count: Int) async throws -> [KafkaMessage] {
        let names = CanonicalTopic.allCases.map { (naming ?? topics).name(of: $0) }
        var configuration = KafkaConsumerConfiguration(client: kafkaClient, groupID: "relaytest-" + Self.uniqueSuffix(10))
        configuration.sessionTimeoutMilliseconds = 6_000
        let consumer = try KafkaConsumer(configuration: configuration, topics: names, logger: logger)
        var read: [KafkaMessage] = []
        let complete = try await eventually {
            read += try await consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200))
            return read.count >= count
        }
        let clock = ContinuousClock()
        var quietSince = clock.now
        while clock.now - quietSince < .milliseconds(500) {
            let more = try await consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100))
            if !more.isEmpty { read += more; quietSince = clock.now }
        }
        await consumer.close()
        #expect(complete, "read \(read.count) of at least \(count) records in time")
        return read.sorted { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }
    }
}

extension KafkaMessage {
    func headerString(_ key: String) -> String? {
        header(key).map { String(decoding: $0, as: UTF8.self) }
    }

    var position: Int64? { headerString("ce_position").flatMap { Int64($0) } }
    var eventID: String? { headerString("ce_id") }
    var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}

/// A count shared between a test and the closures it hands to the relay.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one and returns the new count.
    @discardableResult
    func increment() -> Int { value.wrappingAdd(1, ordering: .relaxed).newValue }

    var current: Int { value.load(ordering: .relaxed) }
}
