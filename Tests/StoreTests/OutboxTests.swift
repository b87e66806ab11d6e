import Store
import Testing

@Suite("Outbox")
struct OutboxTests {
    @Test func outboxListsPublishedEventsInOrderWithTopicAndStreamKey() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.appendBatch([
                BatchedEvent(stream: "person-a", event: Fixture.event(id: "1", topic: "onewindow.person")),
                BatchedEvent(stream: "case-b", event: Fixture.event(id: "2", topic: "onewindow.case")),
                BatchedEvent(stream: "person-a", event: Fixture.event(id: "3", topic: nil)),
                BatchedEvent(stream: "person-a", event: Fixture.event(id: "4", topic: "onewindow.person")),
            ])
            let messages = try await stack.outbox.read(after: 0, limit: 100)
            #expect(messages.map(\.event.id) == ["1", "2", "4"])
            #expect(messages.map(\.topic) == ["onewindow.person", "onewindow.case", "onewindow.person"])
            #expect(messages.map(\.key) == ["person-a", "case-b", "person-a"])
            #expect(zip(messages, messages.dropFirst()).allSatisfy { $0.position < $1.position })
        }
    }

    @Test func relayProgressMovesOnlyForwardAndReadingResumesAfterIt() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.appendBatch((1...5).map { BatchedEvent(stream: "s", event: Fixture.event(id: "\($0)")) })
            #expect(try await stack.outbox.progress() == 0)

            let firstTwo = try await stack.outbox.read(after: try await stack.outbox.progress(), limit: 2)
            #expect(firstTwo.map(\.event.id) == ["1", "2"])
            try await stack.outbox.markRelayed(upTo: firstTwo[1].position)
            #expect(try await stack.outbox.progress() == firstTwo[1].position)

            // A late, lower mark (e.g. a delivery report from an older batch) never moves it back.
            try await stack.outbox.markRelayed(upTo: firstTwo[0].position)
            #expect(try await stack.outbox.progress() == firstTwo[1].position)

            let rest = try await stack.outbox.read(after: try await stack.outbox.progress(), limit: 100)
            #expect(rest.map(\.event.id) == ["3", "4", "5"])
            // Each relay has its own mark.
            #expect(try await stack.outbox.progress(of: "replay") == 0)
        }
    }
}
