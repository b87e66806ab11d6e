import Foundation
import Kafka
import Logging
import Testing

/// Finds the local broker (`ONEWINDOW_KAFKA_BROKERS`, set by `ops/stack env`) and gives each
/// test its own topics and group ids. A missing stack fails the test; it never skips.
struct KafkaTestStack {
    let brokers: String
    let logger: Logger

    init() throws {
        guard let brokers = ProcessInfo.processInfo.environment["ONEWINDOW_KAFKA_BROKERS"], !brokers.isEmpty else {
            throw StackMissing()
        }
        self.brokers = brokers
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .warning
        self.logger = logger
    }

    struct StackMissing: Error, CustomStringConvertible {
        var description: String { "ONEWINDOW_KAFKA_BROKERS is not set: run the tests with ops/test (or eval \"$(ops/stack env)\")" }
    }

    var client: KafkaClientConfiguration { KafkaClientConfiguration(brokerList: brokers) }

    func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    func producerConfiguration() -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(client: client)
        configuration.lingerMilliseconds = 1
        return configuration
    }

    func consumerConfiguration(group: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(client: client, groupID: group)
        configuration.sessionTimeoutMilliseconds = 6_000
        return configuration
    }

    /// Creates a topic with `partitions` partitions and returns its name.
    func makeTopic(partitions: Int32) async throws -> String {
        let topic = uniqueName("test")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopic(topic, partitions: partitions)
        return topic
    }

    /// Runs `body` with a producer whose service loop runs alongside, then shuts it down.
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

    /// Sends `count` records (fire-and-forget) and waits until every one is acknowledged.
    func produce(_ producer: KafkaProducer, count: Int, message: @Sendable (Int) -> KafkaOutgoingMessage) async throws {
        var reports = producer.deliveryReports.makeAsyncIterator()
        for i in 0..<count { try await producer.sendAndForget(message(i)) }
        var acknowledged = 0
        while acknowledged < count, let report = await reports.next() {
            if let error = report.error { throw error }
            acknowledged += 1
        }
        #expect(acknowledged == count)
    }
}

/// Polls until `condition` holds for what was read, or the deadline passes.
func pollUntil(
    _ consumer: KafkaConsumer, deadline: Duration = .seconds(60),
    _ onBatch: ([KafkaMessage]) async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while clock.now < end {
        if try await onBatch(try await consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200))) { return true }
    }
    return false
}

extension Array where Element == UInt8 {
    var string: String { String(decoding: self, as: UTF8.self) }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
