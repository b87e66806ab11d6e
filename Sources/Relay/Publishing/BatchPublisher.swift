import Kafka
import Store

/// Publishes a batch of outbox messages in order and waits until the broker has acknowledged
/// or refused every one of them — the step both the relay and the replayer take before they
/// count a batch as done.
///
/// It reads the producer's `deliveryReports`, so it must be the only reader of them (share the
/// producer with others only if they use the awaited `send`). Reports of records it did not
/// send in the current batch (left over from an interrupted one) are ignored.
///
/// Generic over the report iterator so that it does not depend on the concrete sequence type
/// of `KafkaProducer.deliveryReports`; build it with `producer.deliveryReports.makeAsyncIterator()`.
struct BatchPublisher<Reports: AsyncIteratorProtocol> where Reports.Element == KafkaDeliveryReport {
    let producer: KafkaProducer
    let naming: TopicNaming
    private var reports: Reports

    init(producer: KafkaProducer, naming: TopicNaming, reports: Reports) {
        self.producer = producer
        self.naming = naming
        self.reports = reports
    }

    /// Sends every message in order (the idempotent producer keeps that order per partition
    /// across retries) and returns when all are acknowledged.
    /// - Throws: ``RelayError/deliveryFailed(failed:of:first:)`` when any was refused; the
    ///   `KafkaError` of a message that could not even be queued (after waiting for the
    ///   reports of those queued before it); `CancellationError` when cancelled while waiting.
    mutating func publish(_ messages: [OutboxMessage]) async throws {
        var pending = Set<UInt64>(minimumCapacity: messages.count)
        var enqueueError: KafkaError?
        for index in messages.indices {  // by index: iterating copied every message, each string retained
            do {
                pending.insert(try await producer.sendAndForget(CloudEventRecord.make(messages[index], naming: naming)))
            } catch {
                enqueueError = error
                break
            }
        }
        var failed = 0
        var firstFailure: KafkaError?
        while !pending.isEmpty {
            guard let report = try await reports.next() else {
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
