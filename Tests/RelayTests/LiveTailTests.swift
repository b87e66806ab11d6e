import Kafka
import Relay
import Store
import Testing
import TestSupport

@Suite("Relay following live appends")
struct LiveTailTests {
    @Test func eventsAppendedByConcurrentWritersWhileTheRelayRunsAllArriveInOrderPerSubject() async throws {
        try await RelayTestStack.with { stack in
            let people = (1...6).map { "person-\($0)" }
            let producer = try KafkaProducer(configuration: stack.producerConfiguration(), logger: stack.logger)
            let relay = OutboxRelay(outbox: stack.outbox, producer: producer,
                                    configuration: stack.relayConfiguration(batchSize: 50), logger: stack.logger)
            try await withThrowingTaskGroup(of: Void.self) { running in
                running.addTask { try await producer.run() }
                running.addTask { try await relay.run() }
                defer { running.cancelAll() }
                // Four writers, twenty appends each, racing the relay and each other.
                try await withThrowingTaskGroup(of: Void.self) { writers in
                    for _ in 0..<4 {
                        writers.addTask {
                            for _ in 0..<20 {
                                _ = try await stack.events.appendBatch(Fixture.interleaved(count: 5, subjects: people))
                            }
                        }
                    }
                    try await writers.waitForAll()
                }
                let last = try await stack.lastOutboxPosition()
                #expect(try await eventually { try await stack.outbox.progress() == last })
            }
            let expected = try await stack.outbox.read(after: 0, limit: 1_000).messages
            #expect(expected.count == 400)
            let records = try await stack.readAll(atLeast: 400)
            #expect(records.count == 400)
            for (key, messages) in Dictionary(grouping: expected, by: \.key) {
                #expect(records.filter { $0.keyString == key }.compactMap(\.position) == messages.map(\.position),
                        "order of \(key)")
            }
        }
    }
}
