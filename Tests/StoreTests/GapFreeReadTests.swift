import Foundation
import Store
import Synchronization
import Testing

@Suite("Gap-free reading under concurrent writers")
struct GapFreeReadTests {
    static let writers = 8
    static let eventsPerWriter = 6_250  // 50,000 in all
    static let batchSize = 250
    static let readLimit = 1_000

    /// Half the writers use the intake's batch path across shared streams, half append to
    /// their own stream with an exact expected version: both paths must keep reading gap-free.
    @Test func aReaderDuringEightConcurrentWritersSeesEveryPositionExactlyOnceInOrder() async throws {
        try await TestStack.withStore(maximumConnections: 12) { stack in
            let writing = WritingFlag()
            let (written, read) = try await withThrowingTaskGroup(of: Role.self) { group in
                for writer in 0..<Self.writers {
                    group.addTask { .writer(try await Self.write(writer: writer, stack: stack)) }
                }
                group.addTask { .reader(try await Self.readUntilCaughtUp(stack: stack, writing: writing)) }
                var written: [Int64] = []
                var finishedWriters = 0
                var read: ReaderLog?
                for try await role in group {
                    switch role {
                    case .writer(let positions):
                        written += positions
                        finishedWriters += 1
                        if finishedWriters == Self.writers { writing.finish() }
                    case .reader(let log): read = log
                    }
                }
                return (written, try #require(read))
            }

            #expect(written.count == Self.writers * Self.eventsPerWriter)
            let stored = try await stack.count("SELECT count(*) FROM {schema}.events")
            #expect(stored == Int64(written.count))
            // In order, never twice.
            #expect(zip(read.positions, read.positions.dropFirst()).allSatisfy { $0 < $1 })
            // Nothing skipped: every committed position was seen, and nothing else.
            let missing = Set(written).subtracting(read.positions).sorted()
            let unknown = Set(read.positions).subtracting(written).sorted()
            #expect(missing.isEmpty, "the reader skipped \(missing.count) positions, e.g. \(missing.prefix(10))")
            #expect(unknown.isEmpty, "the reader saw \(unknown.count) positions no writer wrote, e.g. \(unknown.prefix(10))")
            #expect(read.positions.count == written.count)
            // The reader really ran while the writers wrote.
            #expect(read.nonEmptyReadsWhileWriting > 0)
        }
    }

    /// Set while any writer is still appending; shared by the writers' collector and the reader.
    final class WritingFlag: Sendable {
        private let state = Mutex(true)
        var isWriting: Bool { state.withLock { $0 } }
        func finish() { state.withLock { $0 = false } }
    }

    enum Role: Sendable {
        case writer([Int64])
        case reader(ReaderLog)
    }

    struct ReaderLog: Sendable {
        var positions: [Int64] = []
        var nonEmptyReadsWhileWriting = 0
    }

    static func write(writer: Int, stack: TestStack) async throws -> [Int64] {
        var positions: [Int64] = []
        let ownStream = "writer-\(writer)"
        for batch in 0..<(eventsPerWriter / batchSize) {
            let events = (0..<batchSize).map { index in
                Fixture.event(id: "w\(writer)-b\(batch)-e\(index)", data: #"{"writer":\#(writer)}"#)
            }
            if writer.isMultiple(of: 2) {
                let batched = events.enumerated().map { BatchedEvent(stream: "person-\($0.offset % 97)", event: $0.element) }
                for outcome in try await stack.events.appendBatch(batched) {
                    guard case .appended(let event) = outcome else { Issue.record("unexpected duplicate"); continue }
                    positions.append(event.position)
                }
            } else {
                let expected: ExpectedVersion = batch == 0 ? .noStream : .exact(Int64(batch * batchSize))
                let result = try await stack.events.append(stream: ownStream, expectedVersion: expected, events: events)
                guard case .appended(let appended) = result else { Issue.record("unexpected duplicate"); continue }
                positions += appended.map(\.position)
            }
        }
        return positions
    }

    /// Follows the store from position 0 until a read that started after every writer had
    /// finished comes back empty (caught up), with a deadline.
    static func readUntilCaughtUp(stack: TestStack, writing: WritingFlag) async throws -> ReaderLog {
        var log = ReaderLog()
        var last: Int64 = 0
        let deadline = ContinuousClock.now + .seconds(300)
        while true {
            guard ContinuousClock.now < deadline else {
                Issue.record("reader did not catch up before the deadline (saw \(log.positions.count) events)")
                break
            }
            let stillWriting = writing.isWriting
            let events = try await stack.events.read(after: last, limit: readLimit)
            if events.isEmpty {
                if !stillWriting { break }
                await Task.yield()
                continue
            }
            if stillWriting { log.nonEmptyReadsWhileWriting += 1 }
            log.positions += events.map(\.position)
            last = events[events.count - 1].position
        }
        return log
    }
}
