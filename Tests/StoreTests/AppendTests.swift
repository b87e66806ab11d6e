import Foundation
import Store
import Testing

@Suite("Appending with expected versions and idempotency")
struct AppendTests {
    @Test func appendNumbersStreamVersionsAndReadsBackInOrder() async throws {
        try await TestStack.withStore { stack in
            let first = try await stack.events.append(
                stream: "case-1", expectedVersion: .noStream,
                events: [Fixture.event(id: "a", data: #"{"step": 1}"#), Fixture.event(id: "b", data: #"{"step": 2}"#)])
            #expect(first.lastStreamVersion == 2)
            let second = try await stack.events.append(stream: "case-1", expectedVersion: .exact(2), events: [Fixture.event(id: "c")])
            #expect(second.lastStreamVersion == 3)

            let stream = try await stack.events.readStream("case-1")
            #expect(stream.map(\.id) == ["a", "b", "c"])
            #expect(stream.map(\.streamVersion) == [1, 2, 3])
            #expect(stream[0].data == Data(#"{"step": 1}"#.utf8))
            #expect(stream[0].region == "320505001001")
            #expect(try await stack.events.currentVersion(of: "case-1") == 3)
        }
    }

    @Test(arguments: [ExpectedVersion.noStream, .exact(1), .exact(3)])
    func appendAtAWrongExpectedVersionThrowsAConflictAndWritesNothing(expected: ExpectedVersion) async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.append(stream: "case-1", expectedVersion: .any,
                                              events: [Fixture.event(id: "a"), Fixture.event(id: "b")])
            let before = try await stack.count("SELECT count(*) FROM {schema}.events")
            let outboxBefore = try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL")

            await #expect {
                try await stack.events.append(stream: "case-1", expectedVersion: expected, events: [Fixture.event(id: "c")])
            } throws: { error in
                guard case StoreError.versionConflict(let stream, let reportedExpected, let actual) = error else { return false }
                return stream == "case-1" && reportedExpected == expected && actual == 2
            }
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == before)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL") == outboxBefore)
        }
    }

    /// The store binds payloads as bytes; PostgreSQL is what refuses one that is not UTF-8, and
    /// then the whole batch is refused. (That a payload is JSON is the writer's guarantee: the
    /// store keeps it as text since migration 13, see `NewEvent.data`.)
    @Test(arguments: [Data([0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]), Data([0x7B, 0x7D, 0xFF])])
    func aPayloadThatIsNotUTF8IsRefusedAndNothingOfItsBatchIsWritten(data: Data) async throws {
        try await TestStack.withStore { stack in
            var broken = Fixture.event(id: "broken")
            broken.data = data
            let batch = [Fixture.event(id: "fine"), broken].map { BatchedEvent(stream: "case-1", event: $0) }
            var refused = false
            do { _ = try await stack.events.appendBatch(batch) } catch { refused = true }
            #expect(refused)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 0)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL") == 0)
            let fine = try await stack.events.appendBatch([batch[0]])
            #expect(fine.count == 1)
        }
    }

    @Test func duplicateEventIsAnsweredAsDuplicateAndChangesNothing() async throws {
        try await TestStack.withStore { stack in
            let events = [Fixture.event(id: "a"), Fixture.event(id: "b")]
            _ = try await stack.events.append(stream: "case-1", expectedVersion: .noStream, events: events)
            let counts = try await Self.counts(stack)

            // A retried command: same events, stale expected version. Idempotency wins.
            let again = try await stack.events.append(stream: "case-1", expectedVersion: .noStream, events: events)
            #expect(again == .duplicate)
            let batchAgain = try await stack.events.appendBatch(events.map { BatchedEvent(stream: "case-1", event: $0) })
            #expect(batchAgain == [.duplicate, .duplicate])
            #expect(try await Self.counts(stack) == counts)
            #expect(try await stack.events.currentVersion(of: "case-1") == 2)
        }
    }

    @Test func appendWithSomeEventsAlreadyStoredIsRefusedAndWritesNothing() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.append(stream: "s", expectedVersion: .any, events: [Fixture.event(id: "a")])
            let counts = try await Self.counts(stack)
            await #expect {
                try await stack.events.append(stream: "s", expectedVersion: .any,
                                              events: [Fixture.event(id: "a"), Fixture.event(id: "new")])
            } throws: { error in
                if case StoreError.partialDuplicate(let stream) = error { return stream == "s" }
                return false
            }
            #expect(try await Self.counts(stack) == counts)
        }
    }

    @Test func batchAppendsManyStreamsAndAnswersRepeatsAndStoredEventsAsDuplicates() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.append(stream: "p1", expectedVersion: .any, events: [Fixture.event(id: "old")])
            let outcomes = try await stack.events.appendBatch([
                BatchedEvent(stream: "p1", event: Fixture.event(id: "x")),
                BatchedEvent(stream: "p2", event: Fixture.event(id: "y")),
                BatchedEvent(stream: "p1", event: Fixture.event(id: "old")),  // stored before
                BatchedEvent(stream: "p1", event: Fixture.event(id: "x")),  // repeated in the batch
                BatchedEvent(stream: "p1", event: Fixture.event(id: "z", topic: nil)),
            ])
            guard case .appended(let x) = outcomes[0], case .appended(let y) = outcomes[1],
                  case .appended(let z) = outcomes[4]
            else { Issue.record("expected appends, got \(outcomes)"); return }
            #expect(outcomes[2] == .duplicate)
            #expect(outcomes[3] == .duplicate)
            #expect((x.streamVersion, y.streamVersion, z.streamVersion) == (2, 1, 3))
            #expect(x.position < y.position && y.position < z.position)
            #expect([x.id, y.id, z.id] == ["x", "y", "z"])
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 4)
            // z has no topic, so it is stored but not published.
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL") == 3)
        }
    }

    @Test func eachEventOfABatchIsAnsweredWithWhereItLandedEvenWhenIdsRepeatAcrossSources() async throws {
        try await TestStack.withStore { stack in
            // The append answers by ordinal; the same id from two sources is two events.
            let batch = [
                BatchedEvent(stream: "p2", event: Fixture.event(id: "same", source: "/orgs/b/desk")),
                BatchedEvent(stream: "p1", event: Fixture.event(id: "same", source: "/orgs/a/desk")),
                BatchedEvent(stream: "p1", event: Fixture.event(id: "other", source: "/orgs/a/desk")),
            ]
            let outcomes = try await stack.events.appendBatch(batch)
            let appended = outcomes.compactMap { if case .appended(let event) = $0 { event } else { nil } }
            #expect(appended.map(\.source) == ["/orgs/b/desk", "/orgs/a/desk", "/orgs/a/desk"])
            #expect(appended.map(\.id) == ["same", "same", "other"])
            #expect(appended.map(\.streamVersion) == [1, 1, 2])
            for event in appended {
                let stored = try await stack.count("""
                    SELECT count(*) FROM {schema}.events
                    WHERE position = \(event.position) AND source = '\(event.source)' AND event_id = '\(event.id)'
                      AND stream_version = \(event.streamVersion)
                    """)
                #expect(stored == 1)
            }
        }
    }

    @Test func streamsMarkedNewAreNumberedFromOneInTheFirstTry() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.append(stream: "known", expectedVersion: .any, events: [Fixture.event()])
            let outcomes = try await stack.events.appendBatch([
                BatchedEvent(stream: "n1", event: Fixture.event(), newStream: true),
                BatchedEvent(stream: "known", event: Fixture.event()),
                BatchedEvent(stream: "n2", event: Fixture.event(), newStream: true),
                BatchedEvent(stream: "n1", event: Fixture.event(), newStream: true),
            ])
            let appended = outcomes.compactMap { if case .appended(let event) = $0 { event } else { nil } }
            #expect(appended.map(\.streamVersion) == [1, 2, 1, 2])
            // No try was rolled back: a rolled-back try would have used up positions.
            let first = try #require(appended.first).position
            #expect(appended.map(\.position) == Array(first..<first + 4))
        }
    }

    @Test func aStreamWronglyMarkedNewIsNumberedAfterItsStoredEvents() async throws {
        try await TestStack.withStore { stack in
            // Another intake appended for the person between their creation and this append.
            _ = try await stack.events.append(stream: "p", expectedVersion: .any, events: [Fixture.event(id: "a"), Fixture.event(id: "b")])
            let outcomes = try await stack.events.appendBatch([
                BatchedEvent(stream: "q", event: Fixture.event(id: "c"), newStream: true),
                BatchedEvent(stream: "p", event: Fixture.event(id: "d"), newStream: true),
                BatchedEvent(stream: "p", event: Fixture.event(id: "e"), newStream: true),
            ])
            let appended = outcomes.compactMap { if case .appended(let event) = $0 { event } else { nil } }
            #expect(appended.map(\.streamVersion) == [1, 3, 4])
            #expect(appended.map(\.position) == appended.map(\.position).sorted())
            #expect(try await stack.events.readStream("p").map(\.id) == ["a", "b", "d", "e"])
            #expect(try await stack.events.readStream("p").map(\.streamVersion) == [1, 2, 3, 4])
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 5)
        }
    }

    /// A batch of the Kafka door's largest size, its streams interleaved: each event lands at
    /// the position of its ordinal (the append reads the arrays in order and gives ordinals
    /// from the order of positions), with its own payload and its stream's next version, all
    /// numbered by the first try (the caller counts each stream's events in the batch).
    @Test func aLargeInterleavedBatchLandsInOrdinalOrderWithEachEventsOwnPayloadAndVersion() async throws {
        try await TestStack.withStore { stack in
            for stored in 0..<100 {
                _ = try await stack.events.append(stream: "s\(stored)", expectedVersion: .any,
                                                  events: [Fixture.event(), Fixture.event()])
            }
            var rng = SystemRandomNumberGenerator()
            let batch = (0..<2_000).map { n in
                let stream = Int.random(in: 0..<300, using: &rng)  // 0..<100 stored, the rest new
                return BatchedEvent(stream: "s\(stream)", event: Fixture.event(id: "e\(n)", data: #"{"n":\#(n)}"#),
                                    newStream: stream >= 100)
            }
            let outcomes = try await stack.events.appendBatch(batch)
            let appended = outcomes.compactMap { if case .appended(let event) = $0 { event } else { nil } }
            try #require(appended.count == batch.count)
            #expect(appended.map(\.id) == batch.map(\.event.id))
            let first = appended[0].position
            #expect(appended.map(\.position) == Array(first..<first + 2_000))
            // The first try wrote it: a conflict would have rolled the try back, burning its
            // positions, and the full append would have written the batch after them.
            #expect(first == 201)
            var next: [String: Int64] = [:]
            for (event, sent) in zip(appended, batch) {
                let expected = next[sent.stream, default: sent.newStream ? 1 : 3]
                #expect(event.streamVersion == expected, "\(sent.stream)")
                next[sent.stream] = expected + 1
            }
            let misplaced = try await stack.count("""
                SELECT count(*) FROM (
                    SELECT (data::json->>'n')::bigint AS n, row_number() OVER (ORDER BY position) - 1 AS r
                    FROM {schema}.events WHERE position >= \(first)) t
                WHERE n <> r
                """)
            #expect(misplaced == 0)
        }
    }

    @Test func concurrentAppendsAtTheSameExpectedVersionLetExactlyOneWin() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.append(stream: "case-9", expectedVersion: .noStream, events: [Fixture.event()])
            let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await stack.events.append(stream: "case-9", expectedVersion: .exact(1), events: [Fixture.event()])
                            return true
                        } catch { return false }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await stack.events.currentVersion(of: "case-9") == 2)
        }
    }

    static func counts(_ stack: TestStack) async throws -> [Int64] {
        [try await stack.count("SELECT count(*) FROM {schema}.events"),
         try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL"),
         try await stack.count("SELECT coalesce(max(position), 0) FROM {schema}.events")]
    }
}
