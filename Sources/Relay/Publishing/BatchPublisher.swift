import Kafka
import Store

/// Publishes a batch of outbox messages in order and waits until the broker has acknowledged
/// or refused every one of them — the step both the relay and the replayer take before they
/// count a batch as done.
///
/// It reads the producer's `deliveryReports`, so it must be the only reader of them (share the
/// producer with others only if they use the awaited `send`). Reports of records it did not
/// send in the current batch (left over from an interrupted one) are ignored.
struct BatchPublisher {
    let producer: KafkaProducer
    let naming: TopicNaming
    private var reports: AsyncStream<KafkaDeliveryReport>.AsyncIterator

    init(producer: KafkaProducer, naming: TopicNaming) {
        self.producer = producer
        self.naming = naming
        self.reports = producer.deliveryReports.makeAsyncIterator()
    }

    /// Sends every message in order (the idempotent producer keeps that order per partition
    /// across retries) and returns when all are acknowledged.
    /// - Throws: ``RelayError/deliveryFailed(failed:of:first:)`` when any was refused; the
    ///   `KafkaError` of a message that could not even be queued (after waiting for the
    ///   reports of those queued before it); `CancellationError` when cancelled while waiting.
    mutating func publish(_ messages: [OutboxMessage]) async throws {
        var pending = Set<UInt64>(minimumCapacity: messages.count)
        var enqueueError: KafkaError?
        for message in messages {
            do {
                pending.insert(try await producer.sendAndForget(CloudEventRecord.make(message, naming: naming)))
            } catch {
                enqueueError = error
                break
            }
        }
        var failed = 0
        var firstFailure: KafkaError?
        while !pending.isEmpty {
            guard let report = await reports.next() else {
                if Task.isCancelled { throw CancellationError() }
                throw RelayError.producerStopped
            }
            guard pending.remove(report.id) != nil else { continue }
            if let error = report.error {
                failed += 1
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let enqueueError { throw enqueueError }
        if let firstFailure { throw RelayError.deliveryFailed(failed: failed, of: messages.count, first: firstFailure) }
    }
}

extension Array where Element == OutboxMessage {
    /// The messages to publish from a read of at most `limit` rows: when the read was cut by
    /// the limit, the rows of its last position are dropped unless they are all there is, so
    /// that a position with several topics is never marked half published.
    func wholePositions(limit: Int) -> ArraySlice<OutboxMessage> {
        guard count >= limit, let last = last?.position, first?.position != last else { return self[...] }
        return self[..<(lastIndex { $0.position != last }! + 1)]
    }
}
