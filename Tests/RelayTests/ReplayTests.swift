import Kafka
import Relay
import Store
import Testing

@Suite("Replay")
struct ReplayTests {
    @Test func replayRepublishesEverythingToAFreshPrefixWithTheSameRecords() async throws {
        try await RelayTestStack.with { stack in
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 24, subjects: ["person-a", "person-b", "person-c"]))
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 6, subjects: ["case-1"], topic: "onewindow.case"))
            try await stack.relayEverything(stack.relayConfiguration())
            let progress = try await stack.outbox.progress()
            let expected = try await stack.outbox.read(after: 0, limit: 1_000).messages

            // A new cluster, here: a new prefix.
            let fresh = TopicNaming(prefix: "relaytest-" + RelayTestStack.uniqueSuffix(10))
            try await stack.ensureTopics(fresh)
            let report = try await stack.withProducer { producer in
                try await Replayer(outbox: stack.outbox, producer: producer, topics: fresh, batchSize: 7,
                                   logger: stack.logger).replay()
            }
            #expect(report.published == 30)
            #expect(report.batches == 5)
            #expect(report.lastPosition == expected.last!.position)
            #expect(report.perTopic == [fresh.name(of: .person): 24, fresh.name(of: .case): 6])
            #expect(try await stack.outbox.progress() == progress, "replay leaves the relay's mark alone")

            let original = try await stack.readAll(atLeast: 30)
            let replayed = try await stack.readAll(fresh, atLeast: 30)
            #expect(replayed.count == 30)
            #expect(replayed.map(\.eventID) == original.map(\.eventID))
            #expect(replayed.map(\.keyString) == original.map(\.keyString))
            #expect(replayed.map(\.value) == original.map(\.value))
        }
    }

    @Test func replayFromAPositionThroughAnotherPublishesOnlyThatRange() async throws {
        try await RelayTestStack.with { stack in
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 20, subjects: ["person-a", "person-b"]))
            let all = try await stack.outbox.read(after: 0, limit: 1_000).messages
            let report = try await stack.withProducer { producer in
                try await Replayer(outbox: stack.outbox, producer: producer, topics: stack.topics, batchSize: 3,
                                   logger: stack.logger).replay(after: all[4].position, through: all[14].position)
            }
            #expect(report.published == 10)
            #expect(report.lastPosition == all[14].position)
            let records = try await stack.readAll(atLeast: 10)
            #expect(Set(records.compactMap(\.position)) == Set(all[5...14].map(\.position)))
        }
    }
}
