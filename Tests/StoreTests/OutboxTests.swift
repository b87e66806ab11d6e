import Foundation
import PostgresNIO
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
            let messages = try await stack.outbox.read(after: 0, limit: 100).messages
            #expect(messages.map(\.event.id) == ["1", "2", "4"])
            #expect(messages.map(\.topic) == ["onewindow.person", "onewindow.case", "onewindow.person"])
            #expect(messages.map(\.key) == ["person-a", "case-b", "person-a"])
            #expect(zip(messages, messages.dropFirst()).allSatisfy { $0.position < $1.position })
        }
    }

    /// Events appended without a topic are not messages, but a read reports how far it went,
    /// so a relay marks past them instead of reading them again.
    @Test func aReadReportsItsLastPositionAlsoWhenOnlyUnpublishedEventsFollow() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.appendBatch([
                BatchedEvent(stream: "person-a", event: Fixture.event(id: "1", topic: "onewindow.person")),
                BatchedEvent(stream: "person-a", event: Fixture.event(id: "2", topic: nil)),
                BatchedEvent(stream: "person-a", event: Fixture.event(id: "3", topic: nil)),
            ])
            let positions = try await stack.events.read(after: 0, limit: 10).map(\.position)
            let first = try await stack.outbox.read(after: 0, limit: 2)
            #expect(first.messages.map(\.event.id) == ["1"])
            #expect(first.lastPosition == positions[1])
            let rest = try await stack.outbox.read(after: positions[1], limit: 10)
            #expect(rest.messages.isEmpty)
            #expect(rest.lastPosition == positions[2])
            let none = try await stack.outbox.read(after: positions[2], limit: 10)
            #expect(none.messages.isEmpty && none.lastPosition == nil)
        }
    }

    @Test func relayProgressMovesOnlyForwardAndReadingResumesAfterIt() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.appendBatch((1...5).map { BatchedEvent(stream: "s", event: Fixture.event(id: "\($0)")) })
            #expect(try await stack.outbox.progress() == 0)

            let firstTwo = try await stack.outbox.read(after: try await stack.outbox.progress(), limit: 2).messages
            #expect(firstTwo.map(\.event.id) == ["1", "2"])
            try await stack.outbox.markRelayed(upTo: firstTwo[1].position)
            #expect(try await stack.outbox.progress() == firstTwo[1].position)

            // A late, lower mark (e.g. a delivery report from an older batch) never moves it back.
            try await stack.outbox.markRelayed(upTo: firstTwo[0].position)
            #expect(try await stack.outbox.progress() == firstTwo[1].position)

            let rest = try await stack.outbox.read(after: try await stack.outbox.progress(), limit: 100).messages
            #expect(rest.map(\.event.id) == ["3", "4", "5"])
            // Each relay has its own mark.
            #expect(try await stack.outbox.progress(of: "replay") == 0)
        }
    }

    /// The relay reads the tail of a table that keeps growing. With the statistics taken while
    /// the table was small (autovacuum has not caught up after a burst or an import), a join of
    /// outbox and events was planned to walk the events from position 1 (a merge join) or to
    /// scan the whole tail once per outbox row. The read must visit about the rows it returns,
    /// with stale statistics and with fresh ones.
    @Test func readingTheTailVisitsOnlyTheTailEvenWithStatisticsOfASmallTable() async throws {
        try await TestStack.withStore { stack in
            try await stack.execute("ALTER TABLE {schema}.events SET (autovacuum_enabled = false)")
            _ = try await stack.events.appendBatch((1...20).map { BatchedEvent(stream: "s\($0)", event: Fixture.event()) })
            try await stack.execute("ANALYZE {schema}.events")
            for batch in 0..<20 {
                _ = try await stack.events.appendBatch((0..<1_000).map {
                    BatchedEvent(stream: "s\(batch * 1_000 + $0)", event: Fixture.event())
                })
            }
            let last = try await stack.count("SELECT max(position) FROM {schema}.events")
            try await Self.expectReadVisitsAboutItsRows(stack, after: last - 50)
            try await stack.execute("ANALYZE {schema}.events")
            try await Self.expectReadVisitsAboutItsRows(stack, after: last - 50)
            try await Self.expectReadVisitsAboutItsRows(stack, after: 10_000)
            #expect(try await stack.outbox.read(after: last - 50, limit: 101).messages.count == 50)
        }
    }

    static func expectReadVisitsAboutItsRows(_ stack: TestStack, after position: Int64) async throws {
        let query = Outbox.readQuery(schema: stack.configuration.schema, after: position, limit: 101)
        let explain = PostgresQuery(unsafeSQL: "EXPLAIN (ANALYZE, FORMAT JSON) " + query.sql, binds: query.binds)
        var plan = ""
        for try await text in try await stack.client.query(explain, logger: stack.logger).decode(String.self) { plan = text }
        let root = try #require((try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]])?.first?["Plan"]
            as? [String: Any])
        let visited = rowsVisited(root)
        #expect(visited["events", default: 0] <= 202, "events rows visited: \(visited); plan: \(plan)")
    }

    /// Rows each table's scans produced or filtered away, over all loops, by table name.
    static func rowsVisited(_ node: [String: Any]) -> [String: Int] {
        var visited: [String: Int] = [:]
        if let table = node["Relation Name"] as? String {
            let loops = node["Actual Loops"] as? Int ?? 1
            let rows = (node["Actual Rows"] as? Int ?? 0) + (node["Rows Removed by Filter"] as? Int ?? 0)
            visited[table, default: 0] += rows * loops
        }
        for child in node["Plans"] as? [[String: Any]] ?? [] {
            visited.merge(rowsVisited(child), uniquingKeysWith: +)
        }
        return visited
    }
}
