import Synchronization

/// The delivery reports of records sent with `sendAndForget`, in the order the broker
/// acknowledged them.
///
/// Reports are handed over in batches (all those served by one librdkafka poll) and read one
/// by one from the batch: a stream that woke its reader for every record cost more than the
/// send itself. Ends when the producer's `run()` returns; a cancelled reader gets `nil`.
public struct KafkaDeliveryReports: AsyncSequence, Sendable {
    public typealias Element = KafkaDeliveryReport
    let channel: ReportChannel

    public func makeAsyncIterator() -> Iterator { Iterator(channel: channel) }

    /// Reads reports one by one; it should have one reader.
    public struct Iterator: AsyncIteratorProtocol {
        let channel: ReportChannel
        var buffer: [KafkaDeliveryReport] = []
        var index = 0

        public mutating func next() async -> KafkaDeliveryReport? {
            if index == buffer.count {
                guard let batch = await channel.take() else { return nil }
                buffer = batch
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

/// Collects reports from librdkafka's callbacks and hands them to the waiting reader.
final class ReportChannel: Sendable {
    private struct State {
        var ready: [KafkaDeliveryReport] = []
        var waiter: CheckedContinuation<[KafkaDeliveryReport]?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Called from the delivery callback, inside `rd_kafka_poll`.
    func append(_ report: KafkaDeliveryReport) {
        state.withLock { $0.ready.append(report) }
    }

    /// Called after each `rd_kafka_poll`: wakes the reader if reports are waiting for it.
    func flush() {
        let handOver: (CheckedContinuation<[KafkaDeliveryReport]?, Never>, [KafkaDeliveryReport])? = state.withLock { s in
            guard !s.ready.isEmpty, let waiter = s.waiter else { return nil }
            s.waiter = nil
            defer { s.ready = [] }
            return (waiter, s.ready)
        }
        if let (waiter, batch) = handOver { waiter.resume(returning: batch) }
    }

    func finish() {
        let waiter = state.withLock { s in
            s.finished = true
            defer { s.waiter = nil }
            return s.ready.isEmpty ? s.waiter : nil
        }
        waiter?.resume(returning: nil)
        flush()
    }

    /// The reports gathered so far, waiting for some when there are none; nil at the end.
    func take() async -> [KafkaDeliveryReport]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[KafkaDeliveryReport]?, Never>) in
                let immediate: [KafkaDeliveryReport]?? = state.withLock { s in
                    if !s.ready.isEmpty { defer { s.ready = [] }; return .some(s.ready) }
                    if s.finished || Task.isCancelled { return .some(nil) }
                    s.waiter = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s in defer { s.waiter = nil }; return s.waiter }
            waiter?.resume(returning: nil)
        }
    }
}
