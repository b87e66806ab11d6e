import Foundation
import Kafka
import Relay
import Store
import TestSupport
import Testing

@Suite("Relay with the broker down")
struct BrokerDownTests {
    @Test func aBrokerThatIsDownLeavesProgressUnmarkedAndTheRelayDeliversOnceOneIsReachable() async throws {
        try await RelayTestStack.with { stack in
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 10, subjects: ["person-a"]))

            var down = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:\(try closedLoopbackPort())"]))
            down.messageTimeoutMilliseconds = 1_000
            let failures = Counter()
            var configuration = stack.relayConfiguration()
            configuration.observer = { activity in
                if case .failed = activity { failures.increment() }
            }
            let (failing, deadBroker) = (configuration, down)
            let failedTwice = try await stack.runRelay(failing, producer: deadBroker) {
                failures.current >= 2
            }
            #expect(failedTwice, "the relay reported its failed batches and kept retrying")
            #expect(try await stack.outbox.progress() == 0, "nothing is marked while nothing is delivered")

            try await stack.relayEverything(stack.relayConfiguration())
            #expect(try await stack.readAll(atLeast: 10).count == 10)
        }
    }
}
