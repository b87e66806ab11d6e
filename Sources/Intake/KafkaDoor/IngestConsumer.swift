import Domain
import Kafka
import Logging
import ServiceLifecycle

/// The Kafka door: reads `onewindow.ingest` as a consumer group in batches, runs each batch
/// through the ``IntakePipeline``, publishes its rejections to `onewindow.rejected`, and only
/// then commits the batch's offsets. A batch the store cannot take is retried, never skipped.
///
/// One batch is in each step at a time. Handling several partitions' batches side by side in
/// one door ("lanes", commit 4719102) was measured and gained nothing on two cores, where the
/// door is bound by CPU, not by waiting; more throughput comes from more consumers in the group.
///
/// Run it as a `Service`. It owns the consumer (closing it on shutdown, so do not also add
/// the consumer to the service group); the producer must be running as its own service.
public struct IngestConsumer: Service {
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let pipeline: IntakePipeline
    let topics: IntakeTopics
    let maxBatch: Int
    let retryDelay: Duration
    let logger: Logger

    /// - Parameters:
    ///   - consumer: subscribed to `topics.ingest`, with `autoCommit` off (the default).
    ///   - maxBatch: the most records handled as one pipeline batch.
    public init(consumer: KafkaConsumer, producer: KafkaProducer, pipeline: IntakePipeline, topics: IntakeTopics,
                maxBatch: Int = 2_000, retryDelay: Duration = .seconds(1), logger: Logger) {
        (self.consumer, self.producer, self.pipeline, self.topics) = (consumer, producer, pipeline, topics)
        (self.maxBatch, self.retryDelay, self.logger) = (max(1, maxBatch), retryDelay, logger)
    }

    public func run() async throws {
        defer { logger.info("ingest consumer stopped") }
        // Offsets of the last stored batch, committed while the next batch is stored.
        var stored: [KafkaTopicPartition: Int64] = [:]
        do {
            var polled = try await nextBatch(wait: Self.idleWait)
            var ready: Prepared?
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                guard !polled.messages.isEmpty || ready != nil else {
                    await commit(stored)
                    stored = [:]
                    polled = try await nextBatch(wait: Self.idleWait)
                    continue
                }
                // Four steps overlap: the next batch is polled and validated, this one is
                // resolved and sealed, the previous one is stored, and the one before that,
                // stored already, has its offsets committed (a commit waits for the broker;
                // waiting for it before the next append held the store back). Batches are
                // stored one after another in the order polled, and a batch's offsets are
                // committed only once it is stored. On shutdown the batches read or prepared
                // ahead are neither stored nor committed, so they are delivered again (to
                // this group's next consumer). With work in hand the read-ahead poll waits
                // only briefly, so a quiet topic does not hold it back.
                let current = polled
                let storedBefore = stored
                async let committed: Void = commit(storedBefore)
                async let following = nextBatch(wait: Self.readAheadWait)
                async let preparing = prepare(current)
                stored = [:]
                if let ready { stored = try await store(ready) }
                await committed
                ready = try await preparing
                polled = try await following
            }
        } catch is CancellationError {
            // shutting down
        }
        await commit(stored)
        await consumer.close()
    }

    /// Polled records with their decoded submissions.
    struct Batch: Sendable {
        let messages: [KafkaMessage]
        let submissions: [Submission]
    }

    /// A batch with its people resolved and personal fields sealed, waiting to be stored.
    struct Prepared: Sendable {
        let messages: [KafkaMessage]
        let batch: PreparedBatch
    }

    /// How long a poll waits for a first record: long when the door has nothing in hand,
    /// short when a batch waits to be stored behind it.
    static let idleWait = Duration.milliseconds(200)
    static let readAheadWait = Duration.milliseconds(5)

    func nextBatch(wait: Duration) async throws -> Batch {
        let messages = try await consumer.poll(maxMessages: maxBatch, timeout: wait)
        return Batch(messages: messages, submissions: messages.map(IngestMessage.submission))
    }

    /// Resolves and seals a batch (nil for an empty one); retried until it succeeds or the
    /// service is cancelled.
    func prepare(_ batch: Batch) async throws -> Prepared? {
        guard !batch.messages.isEmpty else { return nil }
        let prepared = try await retrying("prepare batch") { try await pipeline.prepare(batch.submissions) }
        return Prepared(messages: batch.messages, batch: prepared)
    }

    /// Stores a prepared batch and publishes its rejections, retrying each step until it
    /// succeeds or the service is cancelled; returns the offsets to commit (``commit(_:)``).
    func store(_ ready: Prepared) async throws -> [KafkaTopicPartition: Int64] {
        let messages = ready.messages
        let results = try await retrying("store batch") { try await pipeline.store(ready.batch) }
        let rejections = zip(messages, results).filter { $0.1.status == .rejected }
            .map { IngestMessage.rejection(of: $0.0, result: $0.1, topic: topics.rejected) }
        try await retrying("publish rejections") { try await publish(rejections) }
        var next: [KafkaTopicPartition: Int64] = [:]
        for message in messages { next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1) }
        logger.debug("ingest batch", metadata: ["records": "\(messages.count)", "rejected": "\(rejections.count)"])
        return next
    }

    /// Commits the offsets of a stored batch. A failed commit (e.g. after a revoke) only means
    /// redelivery, which the pipeline answers as duplicates.
    func commit(_ offsets: [KafkaTopicPartition: Int64]) async {
        guard !offsets.isEmpty else { return }
        do {
            try await consumer.commit(offsets)
        } catch {
            logger.warning("ingest commit failed", metadata: ["error": "\(error)"])
        }
    }

    func publish(_ records: [KafkaOutgoingMessage]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for record in records {
                group.addTask {
                    let report = try await producer.send(record)
                    if let error = report.error { throw error }
                }
            }
            try await group.waitForAll()
        }
    }

    func retrying<T: Sendable>(_ step: String, _ body: () async throws -> T) async throws -> T {
        while true {
            do {
                return try await body()
            } catch {
                try Task.checkCancellation()
                logger.error("ingest step failed; retrying", metadata: ["step": "\(step)", "error": "\(error)"])
                try await Task.sleep(for: retryDelay)
            }
        }
    }
}
