import Foundation
import Kafka
import TestSupport
import Testing

@Suite("Kafka failures surface as typed errors")
struct FailureTests {
    let stack: KafkaTestStack

    init() throws { stack = try KafkaTestStack() }

    /// The local broker (tansu) creates any topic a client names, whatever the client asks
    /// (`allow.auto.create.topics=false` is ignored), like a Kafka cluster with
    /// `auto.create.topics.enable=true`. A production cluster runs with it off; librdkafka's
    /// mock cluster honours the flag, so this case runs there.
    @Test func sendingToATopicThatDoesNotExistFailsWithUnknownTopic() async throws {
        var client = KafkaClientConfiguration(bootstrapServers: ["mock:9092"])
        client.extra["test.mock.num.brokers"] = "1"
        var configuration = KafkaProducerConfiguration(client: client)
        configuration.unknownTopicTimeoutMilliseconds = 500
        configuration.messageTimeoutMilliseconds = 5_000
        let error = try await stack.withProducer(configuration) { producer in
            await #expect(throws: KafkaError.self) {
                try await producer.send(KafkaOutgoingMessage(topic: "no-such-topic", value: "x".bytes))
            }
        }
        let kafkaError = try #require(error)
        #expect(KafkaError.unknownTopicCodes.contains(kafkaError.code), "got \(kafkaError)")
        #expect(!kafkaError.isFatal)
    }

    @Test func sendingToABrokerThatIsDownFailsWithinTheMessageTimeout() async throws {
        let deadPort = try closedLoopbackPort()
        var configuration = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:\(deadPort)"]))
        configuration.messageTimeoutMilliseconds = 2_000
        let error = try await stack.withProducer(configuration) { producer in
            await #expect(throws: KafkaError.self) {
                try await producer.send(KafkaOutgoingMessage(topic: "anything", value: "x".bytes))
            }
        }
        let kafkaError = try #require(error)
        #expect(kafkaError.code == KafkaError.messageTimedOutCode, "got \(kafkaError)")
        #expect(kafkaError.isRetriable)
    }

    @Test func closingAConsumerWhilePollingIsCleanAndLaterPollsSayClosed() async throws {
        let topic = try await stack.makeTopic(partitions: 2)
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 5_000) { i in KafkaOutgoingMessage(topic: topic, value: "\(i)".bytes) }
        }
        let consumer = try KafkaConsumer(configuration: stack.consumerConfiguration(group: stack.uniqueName("g")),
                                         topics: [topic], logger: stack.logger)
        let polled = try await consumer.poll(maxMessages: 100, timeout: .seconds(10))
        #expect(!polled.isEmpty)
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                var read = 0
                while true {
                    do { read += try await consumer.poll(maxMessages: 100, timeout: .milliseconds(50)).count } catch let error as KafkaError {
                        #expect(error == .closed)
                        return read
                    }
                }
            }
            await consumer.close()
            let read = try await group.next()!
            #expect(read >= 0)
        }
        await #expect(throws: KafkaError.closed) { try await consumer.poll() }
        await consumer.close()  // twice is harmless
        #expect(consumer.assignment.isEmpty)
    }

    @Test func anUnknownConfigurationPropertyIsRejectedWithItsName() throws {
        var configuration = stack.producerConfiguration()
        configuration.client.extra["no.such.property"] = "1"
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: stack.logger)
        } throws: { error in
            (error as? KafkaError)?.message.contains("no.such.property") == true
        }
    }
}
