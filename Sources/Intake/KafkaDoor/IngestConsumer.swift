import Domain
import Kafka
import Logging
import ServiceLifecycle

/// The Kafka door: reads `onewindow.ingest` as a consumer group, runs the records through the
/// ``IntakePipeline`` in batches, publishes their rejections to `onewindow.rejected`, and only
/// then commits the batches' offsets. A batch the store cannot take is retried, never skipped.
///
/// One poll feeds several lanes; each partition belongs to one lane (partition number modulo
/// the number of lanes), and a lane stores its batches one after another in the order polled,
/// so the order of a partition is kept. Nothing orders records across partitions (Kafka does
/// not either), so lanes work side by side: while one lane's batch waits for the store's append
/// lock, another's people are resolved and sealed. One lane alone kept the machine a sixth idle
/// (its stages took turns), see BENCHMARKS.md.
///
/// Run it as a `Service`. It owns the consumer (closing it on shutdown, so do not also add
/// the consumer to the service group); the producer must be running as its own service.
public struct IngestConsumer: Service {
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let pipeline: IntakePipeline
    let topics: IntakeTopics
    let maxBatch: Int
    let lanes: Int
    let retryDelay: Duration
    let logger: Logger

    /// - Parameters:
    ///   - consumer: subscribed to `topics.ingest`, with `autoCommit` off (the default).
    ///   - maxBatch: the most records polled at once, and handled by a lane as one pipeline batch.
    ///   - lanes: how many batches of different partitions may be handled at once.
    public init(consumer: KafkaConsumer, producer: KafkaProducer, pipeline: IntakePipeline, topics: IntakeTopics,
                maxBatch: Int = 2_000, lanes: Int = defaultLanes, retryDelay: Duration = .seconds(1), logger: Logger) {
        (self.consumer, self.producer, self.pipeline, self.topics) = (consumer, producer, pipeline, topics)
        (self.maxBatch, self.lanes, self.retryDelay, self.logger) = (max(1, maxBatch), max(1, lanes), retryDelay, logger)
    }

    /// Lanes when not told otherwise.
    public static let defaultLanes = 3

    public func run() async throws {
        defer { logger.info("ingest consumer stopped") }
        let queues = (0..<lanes).map { _ in LaneQueue<KafkaMessage>(capacity: maxBatch) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for queue in queues { group.addTask { try await lane(queue) } }
                // Closed when polling ends, however it ends: the lanes then finish what they
                // hold (unless shutting down) and stop.
                defer { for queue in queues { queue.close() } }
                try await poll(into: queues)
                for queue in queues { queue.close() }
                try await group.waitForAll()
            }
        } catch is CancellationError {
            // shutting down
        }
        await consumer.close()
    }

    /// Polls until shutdown, handing each partition's records to its lane in the order polled.
    /// A full lane holds the poll back.
    func poll(into queues: [LaneQueue<KafkaMessage>]) async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let messages = try await consumer.poll(maxMessages: maxBatch, timeout: Self.idleWait)
            guard !messages.isEmpty else { continue }
            guard queues.count > 1 else {
                await queues[0].put(messages)
                continue
            }
            var split = Array(repeating: [KafkaMessage](), count: queues.count)
            for message in messages { split[Int(message.partition) % queues.count].append(message) }
            for (queue, part) in zip(queues, split) where !part.isEmpty { await queue.put(part) }
        }
    }

    /// One lane: stores the batches of its partitions in the order polled, committing each
    /// batch's offsets once it is stored.
    func lane(_ queue: LaneQueue<KafkaMessage>) async throws {
        // Offsets of the last stored batch, committed while the next batch is stored.
        var stored: [KafkaTopicPartition: Int64] = [:]
        defer { logger.debug("ingest lane stopped") }
        var polled = Batch(messages: [], submissions: [])
        var ready: Prepared?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            guard !polled.messages.isEmpty || ready != nil else {
                await commit(stored)
                stored = [:]
                guard let messages = await queue.take(limit: maxBatch, wait: true) else { break }
                polled = Self.batch(messages)
                continue
            }
            // Four steps overlap: the next batch is taken and validated, this one is resolved
            // and sealed, the previous one is stored, and the one before that, stored already,
            // has its offsets committed (a commit waits for the broker; waiting for it before
            // the next append held the store back). A lane's batches are stored one after
            // another in the order polled, and a batch's offsets are committed only once it is
            // stored. On shutdown the batches taken or prepared ahead are neither stored nor
            // committed, so they are delivered again (to this group's next consumer).
            let current = polled
            let storedBefore = stored
            async let committed: Void = commit(storedBefore)
            async let following = queue.take(limit: maxBatch, wait: false).map(Self.batch)
            async let preparing = prepare(current)
            stored = [:]
            if let ready { stored = try await store(ready) }
            await committed
            ready = try await preparing
            polled = await following ?? Batch(messages: [], submissions: [])
        }
        await commit(stored)
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

    /// How long a poll waits for a first record before it looks for shutdown again.
    static let idleWait = Duration.milliseconds(200)

    /// Decodes records into submissions (parsing and validating them), in a lane.
    static func batch(_ messages: [KafkaMessage]) -> Batch {
        Batch(messages: messages, submissions: messages.map(IngestMessage.submission))
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
