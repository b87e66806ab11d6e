import Kafka
import Logging
import Store

/// Re-publishes events from the store to the canonical topics — `onewindow replay`, for a new
/// or lost cluster. It reads the outbox (every event appended with a topic; its stream is the
/// key) from a position, in order, batch by batch, and waits for every delivery before the
/// next batch, producing the same records the relay produces. It does not touch the relay's
/// progress mark.
///
/// The producer's `run()` must be running while it works, and the replayer must be the only
/// reader of the producer's `deliveryReports`.
public struct Replayer: Sendable {
    let outbox: Outbox
    let producer: KafkaProducer
    let topics: TopicNaming
    let batchSize: Int
    let logger: Logger

    /// - Parameter batchSize: messages per batch, 1…9,999. Default 5,000.
    public init(outbox: Outbox, producer: KafkaProducer, topics: TopicNaming, batchSize: Int = 5_000, logger: Logger) {
        self.outbox = outbox
        self.producer = producer
        self.topics = topics
        self.batchSize = min(max(1, batchSize), 9_999)
        self.logger = logger
    }

    /// What a replay did.
    public struct Report: Sendable, Equatable {
        /// Records published (one per event with a topic).
        public var published: Int
        /// Records per topic name.
        public var perTopic: [String: Int]
        /// Batches sent.
        public var batches: Int
        /// The last position replayed through (events without a topic are passed over); the
        /// `after` given when nothing followed it.
        public var lastPosition: Int64
    }

    /// Publishes every outbox message after `position` (0: everything) up to and including
    /// `through` (nil: until the outbox is exhausted, including events appended meanwhile).
    /// - Throws: ``RelayError/replayInterrupted(resumeAfter:underlying:)``: everything up to
    ///   `resumeAfter` was delivered; replay again after it.
    public func replay(after position: Int64 = 0, through: Int64? = nil) async throws(RelayError) -> Report {
        var publisher = BatchPublisher(producer: producer, naming: topics, reports: producer.deliveryReports.makeAsyncIterator())
        var report = Report(published: 0, perTopic: [:], batches: 0, lastPosition: position)
        logger.info("replay started", metadata: ["after": "\(position)", "prefix": "\(topics.prefix)"])
        while true {
            do {
                let read = try await outbox.read(after: report.lastPosition, limit: batchSize)
                guard var last = read.lastPosition else { break }
                var batch = read.messages
                if let through {
                    batch.removeAll { $0.position > through }
                    last = min(last, through)
                }
                guard last > report.lastPosition else { break }
                if !batch.isEmpty {
                    try await publisher.publish(batch)
                    report.batches += 1
                }
                report.published += batch.count
                report.lastPosition = last
                for message in batch { report.perTopic[topics.publishedTopic(forRecorded: message.topic), default: 0] += 1 }
                logger.debug("replayed", metadata: ["count": "\(batch.count)", "upTo": "\(last)"])
                if let through, last >= through { break }
            } catch {
                logger.error("replay interrupted", metadata: ["resumeAfter": "\(report.lastPosition)", "error": "\(error)"])
                throw .replayInterrupted(resumeAfter: report.lastPosition, underlying: error)
            }
        }
        logger.info("replay finished", metadata: ["published": "\(report.published)", "upTo": "\(report.lastPosition)"])
        return report
    }
}
