@testable import Intake
import Testing

@Suite("The Kafka door's hand-over from its poll to a lane")
struct LaneQueueTests {
    @Test(.timeLimit(.minutes(1)))
    func batchesComeOutInTheOrderPutJoinedUpToTheLimit() async {
        let queue = LaneQueue<Int>(capacity: 100)
        await queue.put([1, 2, 3])
        await queue.put([4, 5])
        await queue.put([6, 7, 8])
        #expect(await queue.take(limit: 5, wait: false) == [1, 2, 3, 4, 5])
        #expect(await queue.take(limit: 2, wait: false) == [6, 7, 8], "a first batch over the limit comes whole")
        #expect(await queue.take(limit: 5, wait: false) == [])
    }

    @Test(.timeLimit(.minutes(1)))
    func aWaitingTakeGetsTheNextPut() async throws {
        let queue = LaneQueue<Int>(capacity: 100)
        let taking = Task { await queue.take(limit: 10, wait: true) }
        try await Task.sleep(for: .milliseconds(50))
        await queue.put([42])
        #expect(await taking.value == [42])
    }

    @Test(.timeLimit(.minutes(1)))
    func aFullQueueHoldsThePutUntilATakeMakesRoom() async throws {
        let queue = LaneQueue<Int>(capacity: 3)
        await queue.put([1, 2, 3])
        let putting = Task {
            await queue.put([4])
            return true
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await queue.take(limit: 10, wait: false) == [1, 2, 3])
        #expect(await putting.value)
        #expect(await queue.take(limit: 10, wait: false) == [4])
    }

    @Test(.timeLimit(.minutes(1)))
    func closingDrainsWhatIsQueuedThenAnswersNilAndDropsLaterPuts() async throws {
        let queue = LaneQueue<Int>(capacity: 100)
        await queue.put([1])
        queue.close()
        await queue.put([2])
        #expect(await queue.take(limit: 10, wait: true) == [1])
        #expect(await queue.take(limit: 10, wait: true) == nil)
        #expect(await queue.take(limit: 10, wait: false) == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func closingEndsAWaitingTakeAndAWaitingPut() async throws {
        let empty = LaneQueue<Int>(capacity: 1)
        let taking = Task { await empty.take(limit: 10, wait: true) }
        let full = LaneQueue<Int>(capacity: 1)
        await full.put([1])
        let putting = Task {
            await full.put([2])
            return true
        }
        try await Task.sleep(for: .milliseconds(50))
        empty.close()
        full.close()
        #expect(await taking.value == nil)
        #expect(await putting.value)
        #expect(await full.take(limit: 10, wait: false) == [1], "the put that waited was dropped")
        #expect(await full.take(limit: 10, wait: false) == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingAWaitingTakeEndsIt() async throws {
        let queue = LaneQueue<Int>(capacity: 1)
        let taking = Task { await queue.take(limit: 10, wait: true) }
        try await Task.sleep(for: .milliseconds(50))
        taking.cancel()
        #expect(await taking.value == nil)
    }
}
