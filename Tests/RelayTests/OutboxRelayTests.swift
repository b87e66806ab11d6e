import Foundation
import Kafka
import Relay
import ServiceLifecycle
import Store
import Testing
import TestSupport

@Suite("Outbox relay")
struct OutboxRelayTests {
    @Test func publishesEveryOutboxEventInPositionOrderPerSubjectAndMarksProgress() async throws {
        try await RelayTestStack.with { stack in
            let people = ["person-a", "person-b", "person-c"]
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 30, subjects: people))
            _ = try await stack.events.appendBatch([
                BatchedEvent(stream: "case-1", event: Fixture.event(topic: "onewindow.case")),
                BatchedEvent(stream: "unit-9", event: Fixture.event(topic: "onewindow.housing")),
                BatchedEvent(stream: "person-a", event: Fixture.event(topic: nil)),  // not for the outbox
                BatchedEvent(stream: "case-1", event: Fixture.event(topic: "onewindow.case")),
            ])
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 12, subjects: people))
            let expected = try await stack.outbox.read(after: 0, limit: 1_000).messages
            #expect(expected.count == 45)

            try await stack.relayEverything(stack.relayConfiguration(batchSize: 7))
            #expect(try await stack.outbox.progress() == expected.last!.position)

            let records = try await stack.readAll(atLeast: expected.count)
            #expect(records.count == expected.count, "no duplicates without a failure")
            let byPosition = Dictionary(uniqueKeysWithValues: expected.map { ($0.position, $0) })
            for record in records {
                let message = try #require(record.position.flatMap { byPosition[$0] })
                #expect(record.topic == stack.topics.publishedTopic(forRecorded: message.topic))
                #expect(record.keyString == message.key)
                #expect(record.eventID == message.event.id)
                #expect(record.headerString("ce_source") == message.event.source)
                #expect(record.headerString("ce_type") == message.event.type)
                #expect(record.headerString("ce_specversion") == "1.0")
                #expect(record.headerString("ce_streamversion") == String(message.event.streamVersion))
            }
            // Per subject: exactly its positions, in order.
            for (key, messages) in Dictionary(grouping: expected, by: \.key) {
                #expect(records.filter { $0.keyString == key }.compactMap(\.position) == messages.map(\.position),
                        "order of \(key)")
            }
        }
    }

    /// Events appended without a topic are passed over: nothing is published for them, and the
    /// mark moves past them, so the relay does not read them again and again.
    @Test func eventsWithoutATopicArePassedOverAndMarked() async throws {
        try await RelayTestStack.with { stack in
            _ = try await stack.events.appendBatch([BatchedEvent(stream: "person-a", event: Fixture.event(topic: "onewindow.person"))])
            _ = try await stack.events.appendBatch((0..<5).map { _ in BatchedEvent(stream: "person-a", event: Fixture.event(topic: nil)) })
            let last = try #require(try await stack.events.read(after: 0, limit: 100).last?.position)
            let marked = try await stack.runRelay(stack.relayConfiguration(batchSize: 2)) { try await stack.outbox.progress() == last }
            #expect(marked, "the mark stopped before the events without a topic")
            #expect(try await stack.readAll(atLeast: 1).count == 1)
        }
    }

    @Test func theValueIsTheStructuredCloudEventWithTheStoredDataUnchanged() async throws {
        try await RelayTestStack.with { stack in
            let data = #"{"identity": {"cipher": "AAEC", "keyId": "k1"}, "text": "line\nbreak \"q\" /"}"#
            let metadata = #"{"personid": "0b7f3c1e-2d4a-4e8b-9c6d-5f1a2b3c4d5e", "traceparent": "00-ab-cd-01", "Bad-Name": "x", "nested": {"a": 1}, "id": "spoof"}"#
            _ = try await stack.events.appendBatch([
                BatchedEvent(stream: "person-z", event: Fixture.event(id: "evt-1", data: data, metadata: metadata)),
            ])
            try await stack.relayEverything(stack.relayConfiguration())
            let record = try #require(try await stack.readAll(atLeast: 1).first)
            #expect(record.headerString("content-type") == "application/cloudevents+json")

            let envelope = try #require(try JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any])
            #expect(envelope["specversion"] as? String == "1.0")
            #expect(envelope["id"] as? String == "evt-1", "metadata never replaces a core attribute")
            #expect(envelope["source"] as? String == "/orgs/test/desk")
            #expect(envelope["type"] as? String == "onewindow.test.happened.v1")
            #expect(envelope["time"] as? String == "2026-02-25T06:13:20.25Z")
            #expect(envelope["subject"] as? String == "person-z")
            #expect(envelope["actor"] as? String == "test-org")
            #expect(envelope["region"] as? String == "320505001001")
            #expect(envelope["personid"] as? String == "0b7f3c1e-2d4a-4e8b-9c6d-5f1a2b3c4d5e")
            #expect(envelope["traceparent"] as? String == "00-ab-cd-01")
            #expect(envelope["Bad-Name"] == nil && envelope["nested"] == nil, "only valid extension attributes")
            #expect(envelope["streamversion"] as? Int == 1)
            let stored = try #require(try await stack.outbox.read(after: 0, limit: 1).messages.first)
            #expect(envelope["position"] as? Int == Int(stored.position))
            // `data` is the stored JSON, byte for byte.
            let text = String(decoding: record.value, as: UTF8.self)
            #expect(text.hasSuffix(#","data":"# + String(decoding: stored.event.data, as: UTF8.self) + "}"))
        }
    }

    @Test func aRelayKilledBetweenPublishAndMarkRepublishesOnlyTheUnmarkedBatchWithNoGap() async throws {
        try await RelayTestStack.with { stack in
            let batchSize = 10
            let people = (1...4).map { "person-\($0)" }
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 50, subjects: people))
            let expected = try await stack.outbox.read(after: 0, limit: 1_000).messages

            // First run: the third batch is delivered, then the process "dies" before marking it.
            let batches = Counter()
            var crashing = stack.relayConfiguration(batchSize: batchSize)
            crashing.beforeMark = { _ in
                if batches.increment() == 3 { throw SimulatedCrash() }
            }
            let crashingRelay = crashing
            try await stack.withProducer { producer in
                let relay = OutboxRelay(outbox: stack.outbox, producer: producer, configuration: crashingRelay, logger: stack.logger)
                await #expect(throws: SimulatedCrash.self) { try await relay.run() }
            }
            let markAtCrash = try await stack.outbox.progress()
            #expect(markAtCrash == expected[2 * batchSize - 1].position)

            // Restart: it resumes from the mark.
            try await stack.relayEverything(stack.relayConfiguration(batchSize: batchSize))
            #expect(try await stack.outbox.progress() == expected.last!.position)

            let records = try await stack.readAll(atLeast: expected.count)
            let positions = records.compactMap(\.position)
            let duplicates = positions.count - Set(positions).count
            #expect(duplicates > 0 && duplicates <= batchSize, "re-published \(duplicates)")
            #expect(Set(positions) == Set(expected.map(\.position)), "every event at least once")
            // Every copy of a position carries the same event id; duplicates are all from the unmarked batch.
            for (position, copies) in Dictionary(grouping: records, by: { $0.position ?? -1 }) {
                #expect(Set(copies.map(\.eventID)).count == 1)
                if copies.count > 1 { #expect(position > markAtCrash && position <= expected[3 * batchSize - 1].position) }
            }
            // A consumer that skips what it has seen gets each subject's history in order, without a gap.
            for (key, messages) in Dictionary(grouping: expected, by: \.key) {
                var seen: Int64 = 0
                var history: [Int64] = []
                for position in records.filter({ $0.keyString == key }).compactMap(\.position) where position > seen {
                    history.append(position)
                    seen = position
                }
                #expect(history == messages.map(\.position), "history of \(key)")
            }
        }
    }

    /// An idle relay waits for the store's notification, not for its poll: with a poll of ten
    /// minutes, events appended after it went idle are still relayed, and within the wait below.
    @Test func anIdleRelayWakesOnTheStoresNotificationOfAnAppend() async throws {
        try await RelayTestStack.with { stack in
            var configuration = stack.relayConfiguration()
            configuration.idleWait = .seconds(600)
            let producer = try KafkaProducer(configuration: stack.producerConfiguration(), logger: stack.logger)
            let relay = OutboxRelay(outbox: stack.outbox, producer: producer, configuration: configuration, logger: stack.logger)
            let group = ServiceGroup(services: [producer, relay], logger: stack.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for round in 1...3 {
                    // Let the relay find the outbox empty and go to its wait first.
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await stack.events.appendBatch([BatchedEvent(stream: "person-\(round)", event: Fixture.event())])
                    let last = try await stack.lastOutboxPosition()
                    let relayed = try await eventually(deadline: .seconds(30)) { try await stack.outbox.progress() == last }
                    #expect(relayed, "round \(round): the relay slept through the append")
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()  // the listener stops with the relay
            }
            #expect(try await stack.readAll(atLeast: 3).count == 3)
        }
    }

    @Test func gracefulShutdownFinishesAndMarksTheBatchThenStops() async throws {
        try await RelayTestStack.with { stack in
            _ = try await stack.events.appendBatch(Fixture.interleaved(count: 20, subjects: ["person-a", "person-b"]))
            let last = try await stack.lastOutboxPosition()
            let producer = try KafkaProducer(configuration: stack.producerConfiguration(), logger: stack.logger)
            let relay = OutboxRelay(outbox: stack.outbox, producer: producer,
                                    configuration: stack.relayConfiguration(batchSize: 5), logger: stack.logger)
            let group = ServiceGroup(services: [producer, relay], logger: stack.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let caughtUp = try await eventually { try await stack.outbox.progress() == last }
                #expect(caughtUp)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()  // returns: both services stopped cleanly
            }
            #expect(try await stack.outbox.progress() == last)
        }
    }
}

struct SimulatedCrash: Error {}
