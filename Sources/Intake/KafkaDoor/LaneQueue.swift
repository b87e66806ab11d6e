import Synchronization

/// The records of some partitions, handed by the ingest door's poll to one of its lanes in
/// the order polled. One putter (the poll) and one taker (the lane).
///
/// Bounded: `put` waits while `capacity` records or more are queued, so a lane that falls
/// behind holds the poll back instead of letting records pile up in memory. `close` ends it:
/// waiting puts and takes return, later puts are dropped (the records were not committed, so
/// the group delivers them again), and takes drain what is queued, then answer nil.
final class LaneQueue<Record: Sendable>: Sendable {
    private struct State {
        var batches: [[Record]] = []
        var count = 0
        var closed = false
        var taker: CheckedContinuation<Void, Never>?
        var putter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// - Parameter capacity: how many records may wait before `put` waits.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues `messages` (kept together, in order), waiting while the queue is full. Returns
    /// at once, dropping them, once the queue is closed. Cancellation closes the queue.
    func put(_ messages: [Record]) async {
        await withTaskCancellationHandler {
            var placed = false
            while !placed {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let (done, taker) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                        if state.closed { return (true, nil) }
                        guard state.count < capacity else {
                            state.putter = continuation
                            return (false, nil)
                        }
                        state.batches.append(messages)
                        state.count += messages.count
                        defer { state.taker = nil }
                        return (true, state.taker)
                    }
                    placed = done
                    taker?.resume()
                    if done { continuation.resume() }
                }
            }
        } onCancel: {
            close()
        }
    }

    /// The queued records, oldest first: whole batches as put, joined up to `limit` records
    /// (a first batch larger than `limit` comes whole). When nothing is queued: with `wait`,
    /// waits for a put; without, answers `[]`. Nil once the queue is closed and drained.
    /// Cancellation closes the queue.
    func take(limit: Int, wait: Bool) async -> [Record]? {
        await withTaskCancellationHandler {
            var answer: [Record]??
            while answer == nil {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let (taken, putter) = state.withLock { state -> ([Record]??, CheckedContinuation<Void, Never>?) in
                        guard !state.batches.isEmpty else {
                            if state.closed { return (.some(nil), nil) }
                            if !wait { return (.some([]), nil) }
                            state.taker = continuation
                            return (nil, nil)
                        }
                        var taken = state.batches.removeFirst()
                        while let next = state.batches.first, taken.count + next.count <= limit {
                            taken += next
                            state.batches.removeFirst()
                        }
                        state.count -= taken.count
                        defer { state.putter = nil }
                        return (.some(taken), state.putter)
                    }
                    answer = taken
                    putter?.resume()
                    if taken != nil { continuation.resume() }
                }
            }
            return answer ?? nil
        } onCancel: {
            close()
        }
    }

    /// Ends the queue; a waiting put or take returns.
    func close() {
        let (taker, putter) = state.withLock { state in
            state.closed = true
            defer { (state.taker, state.putter) = (nil, nil) }
            return (state.taker, state.putter)
        }
        taker?.resume()
        putter?.resume()
    }
}
