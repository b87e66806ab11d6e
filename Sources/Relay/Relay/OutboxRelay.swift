import Kafka
import Logging
import ServiceLifecycle
import Store

/// Relays the transactional outbox to the canonical topics: reads it gap-free in position
/// order after its progress mark, publishes each batch keyed by subject with the idempotent
/// producer, and moves the mark only after the broker acknowledged every message of the batch.
///
/// At least once, never a gap: a crash between delivery and mark re-publishes at most the
/// unmarked batch, as the same records (same key, `ce_id` and `ce_position`); a batch with a
/// refused message is not marked and is published again after a pause that doubles up to
/// ``RelayConfiguration/retryMaximumDelay``.
///
/// Run it in a `ServiceGroup` *after* the `PostgresClient` and the `KafkaProducer` it uses
/// (graceful shutdown goes in reverse order): on graceful shutdown it finishes and marks the
/// batch in flight, then returns; on cancellation it stops at once without marking. It must be
/// the only reader of the producer's `deliveryReports`. Its loop runs on a thread of its own
/// (``RelayThread``), not on the cooperative pool it would share with an intake. It keeps one
/// connection of the outbox's pool for the store's append notifications (so the pool needs at
/// least two).
public struct OutboxRelay: Service {
    let outbox: Outbox
    let producer: KafkaProducer
    let configuration: RelayConfiguration
    let logger: Logger

    public init(outbox: Outbox, producer: KafkaProducer, configuration: RelayConfiguration, logger: Logger) {
        self.outbox = outbox
        self.producer = producer
        self.configuration = configuration
        self.logger = logger
    }

    /// Relays until graceful shutdown or cancellation.
    /// - Throws: a fatal `KafkaError` (the producer must be recreated), or what
    ///   ``RelayConfiguration/beforeMark`` threw. Transient failures are retried, not thrown.
    public func run() async throws {
        try await withTaskExecutorPreference(RelayThread.shared) {
            // While the outbox is empty the relay waits for an append notification (or
            // `idleWait` at most); the listener runs beside the loop and stops with it.
            let wakeup = Wakeup()
            let notifications = outbox.appendNotifications
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await notifications.run(listening: wakeup.signal, appended: wakeup.signal) }
                defer { group.cancelAll() }
                try await relay(wakeup: wakeup)
            }
        }
    }

    private func relay(wakeup: Wakeup) async throws {
        var publisher = BatchPublisher(producer: producer, naming: configuration.topics,
                                       reports: producer.deliveryReports.makeAsyncIterator())
        var mark: Int64?
        var attempt = 0
        logger.info("relay started", metadata: ["relay": "\(configuration.name)", "prefix": "\(configuration.topics.prefix)"])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let outcome: Step
            do {
                let after: Int64
                if let mark { after = mark } else { after = try await outbox.progress(of: configuration.name) }
                mark = after
                outcome = try await relayBatch(after: after, publisher: &publisher)
            } catch is CancellationError {
                break
            } catch let error as KafkaError where error.isFatal {
                logger.error("relay stopped: the producer failed fatally", metadata: ["error": "\(error)"])
                throw error
            } catch let error as InjectedFault {
                throw error.underlying
            } catch {
                if Task.isCancelled { break }  // a query or wait interrupted by cancellation is no failure
                attempt += 1
                let delay = backoff(attempt: attempt)
                logger.warning("relay batch failed; nothing marked, retrying", metadata: [
                    "relay": "\(configuration.name)", "error": "\(error)", "attempt": "\(attempt)", "retryIn": "\(delay)",
                ])
                configuration.observer?(.failed(error: error, attempt: attempt, retryIn: delay))
                await pause(delay)
                continue
            }
            attempt = 0
            switch outcome {
            case .empty: await cancelWhenGracefulShutdown { await wakeup.wait(upTo: configuration.idleWait) }
            case .relayed(let count, let last):
                mark = last
                logger.debug("relayed", metadata: ["relay": "\(configuration.name)", "count": "\(count)", "upTo": "\(last)"])
                configuration.observer?(.relayed(count: count, upTo: last))
            }
        }
        logger.info("relay stopped", metadata: ["relay": "\(configuration.name)", "upTo": "\(mark ?? 0)"])
    }

    private enum Step {
        case empty
        case relayed(count: Int, last: Int64)
    }

    /// Reads, publishes, waits for every report, then marks. Nothing is marked on any failure.
    private func relayBatch<Reports>(
        after position: Int64, publisher: inout BatchPublisher<Reports>
    ) async throws -> Step {
        let read = try await outbox.read(after: position, limit: configuration.batchSize)
        guard let last = read.lastPosition else { return .empty }
        // Events appended without a topic are passed over, and the mark moves past them too.
        if !read.messages.isEmpty { try await publisher.publish(read.messages) }
        if let beforeMark = configuration.beforeMark {
            do { try await beforeMark(last) } catch { throw InjectedFault(underlying: error) }
        }
        try await outbox.markRelayed(upTo: last, relay: configuration.name)
        return .relayed(count: read.messages.count, last: last)
    }

    private func backoff(attempt: Int) -> Duration {
        let doubled = configuration.retryInitialDelay * (1 << min(attempt - 1, 20))
        return min(doubled, configuration.retryMaximumDelay)
    }

    /// Sleeps, waking early on graceful shutdown or cancellation (the loop then stops).
    private func pause(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}

/// What the ``RelayConfiguration/beforeMark`` seam threw: ends the relay rather than being retried.
private struct InjectedFault: Error {
    let underlying: any Error
}
