import Foundation
import Store
import TestSupport
import Testing

/// The intake's statements take a thousand keys at a time. Left to choose, PostgreSQL answered
/// such a statement by reading whole tables into a hash, with fresh statistics too, until the
/// tables held a few hundred thousand rows: every batch cost more than the one before. These
/// tests grow the tables to 20,000 rows, refresh the statistics, and check that a batch reads
/// no row by sequential scan.
@Suite("Batch statements stay index-bound as the tables grow")
struct IndexBoundTests {
    @Test func anAppendProbesTheKeyIndexInsteadOfReadingTheWholeEventsTable() async throws {
        try await TestStack.withStore { stack in
            try await stack.execute("ALTER TABLE {schema}.events SET (autovacuum_enabled = false)")
            for batch in 0..<20 {
                _ = try await stack.events.appendBatch((0..<1_000).map {
                    BatchedEvent(stream: "s\(batch)-\($0)", event: Fixture.event(id: batch == 0 && $0 == 0 ? "stored" : UUID().uuidString))
                })
            }
            try await stack.execute("ANALYZE {schema}.events")
            #expect(try await eventually(deadline: .seconds(60)) { try await stack.activity(of: "events").inserted == 20_000 })
            let before = try await stack.activity(of: "events")

            // The batch's last event is stored already: the first try (no lookups) fails on it
            // and the full append, which looks up every key and stream, does the work.
            var next = (0..<999).map { BatchedEvent(stream: "new-\($0)", event: Fixture.event()) }
            next.append(BatchedEvent(stream: "s0-0", event: Fixture.event(id: "stored")))
            let outcomes = try await stack.events.appendBatch(next)
            #expect(outcomes.filter { $0 == .duplicate }.count == 1 && outcomes.last == .duplicate)
            // The rolled-back try's rows count as inserted too: the statistics are in once 999 more show.
            #expect(try await eventually(deadline: .seconds(60)) { try await stack.activity(of: "events").inserted >= 20_999 })

            let read = try await stack.activity(of: "events").rowsReadSequentially - before.rowsReadSequentially
            #expect(read == 0, "the append read \(read) event rows by sequential scan")
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 20_999)
        }
    }

    @Test func lookingUpABatchOfPeopleProbesTheIndexInsteadOfReadingTheTable() async throws {
        try await TestStack.withStore { stack in
            try await stack.execute("ALTER TABLE {schema}.people SET (autovacuum_enabled = false)")
            var hashes: [BlindHash] = []
            for _ in 0..<20 {
                var candidates: [BlindHash: NewPerson] = [:]
                for _ in 0..<1_000 {
                    let hash = BlindHash((0..<32).map { _ in UInt8.random(in: 0...255) })!
                    candidates[hash] = NewPerson(id: UUID(), wrappedKey: Data(repeating: 7, count: 60))
                    hashes.append(hash)
                }
                _ = try await stack.keys.resolvePeople(candidates)
            }
            try await stack.execute("ANALYZE {schema}.people")
            #expect(try await eventually(deadline: .seconds(60)) { try await stack.activity(of: "people").inserted == 20_000 })
            let before = try await stack.activity(of: "people")

            let asked = Array(hashes.shuffled().prefix(999)) + [BlindHash(Array(repeating: 1, count: 32))!]
            let known = try await stack.keys.knownPeople(asked)
            #expect(known.count == 999)
            // A read-only statement: its counters are in once any scan of the table shows.
            func scans(_ activity: TestStack.TableActivity) -> Int64 { activity.sequentialScans + activity.indexScans }
            #expect(try await eventually(deadline: .seconds(60)) { scans(try await stack.activity(of: "people")) > scans(before) })
            let read = try await stack.activity(of: "people").rowsReadSequentially - before.rowsReadSequentially
            #expect(read == 0, "read \(read) people by sequential scan")
        }
    }
}
