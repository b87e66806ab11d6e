import CRdKafka
import Logging
import ServiceLifecycle
import Synchronization

/// A consumer-group member over librdkafka that reads in batches and lets the application
/// own its offsets.
///
/// Offsets: with `offsetsOnAssign`, every partition assigned to this member starts at the
/// offset the application returns (e.g. read from the same database transaction log that
/// holds its results); partitions it returns nothing for start at the group's committed
/// offset, else at `offsetReset`. Or commit to Kafka with `commit(_:)` after a batch is
/// durably handled. Nothing is committed automatically.
///
/// Run it as a `Service`: `run()` waits for graceful shutdown, then leaves the group cleanly.
public final class KafkaConsumer: Service, Sendable {
    /// Returns the next offset to read for each newly assigned partition (or none for some).
    public typealias OffsetsOnAssign = @Sendable ([KafkaTopicPartition]) async throws -> [KafkaTopicPartition: Int64]
    /// Told which partitions this member just lost, before they are given to another member.
    public typealias OnRevoke = @Sendable ([KafkaTopicPartition]) -> Void

    private let handle: RDKafkaHandle
    private let queue: RDKafkaQueue
    private let worker: BlockingWorker
    private let state: Locked<ConsumerState>
    private let logger: Logger

    public init(
        configuration: KafkaConsumerConfiguration,
        topics: [String],
        offsetsOnAssign: OffsetsOnAssign? = nil,
        onRevoke: OnRevoke? = nil,
        logger: Logger
    ) throws(KafkaError) {
        let state = Locked(ConsumerState())
        let rebalance = Rebalancer(offsetsOnAssign: offsetsOnAssign, onRevoke: onRevoke, state: state, logger: logger)
        let context = CallbackContext(logger: logger, onRebalance: { rebalance.handle($0, $1, $2) })
        handle = try RDKafkaHandle(type: RD_KAFKA_CONSUMER, properties: configuration.properties, context: context)
        rd_kafka_poll_set_consumer(handle.pointer)
        queue = RDKafkaQueue(handle: handle)
        worker = BlockingWorker(label: "onewindow.kafka.consumer.\(configuration.groupID)")
        self.state = state
        self.logger = logger

        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
        let err = rd_kafka_subscribe(handle.pointer, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, detail: "subscribe") }
    }

    /// The partitions currently assigned to this member.
    public var assignment: Set<KafkaTopicPartition> { state.withLock { $0.assigned } }

    /// Returns up to `maxMessages` records, waiting at most `timeout` for the first one.
    /// An empty array means nothing arrived in time. Rebalance callbacks run inside this call.
    /// - Throws: `KafkaError.closed` after `close()`, or a fatal or offset-lookup error.
    public func poll(maxMessages: Int = 10_000, timeout: Duration = .milliseconds(100)) async throws(KafkaError) -> [KafkaMessage] {
        let (queue, handle, state, logger) = (self.queue, self.handle, self.state, self.logger)
        let ms = timeout.milliseconds
        return try await worker.run { () throws(KafkaError) -> [KafkaMessage] in
            if state.withLock({ $0.closed }) { throw .closed }
            try handle.checkFatal()
            let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxMessages)
            defer { buffer.deallocate() }
            // Take what is there now; only when nothing is, wait up to `timeout` for one
            // record (then take what came with it). consume_batch_queue with a timeout would
            // wait for a *full* batch, adding its whole timeout to every quiet moment's latency.
            var count = rd_kafka_consume_batch_queue(queue.pointer, 0, buffer, maxMessages)
            if count == 0 {
                count = rd_kafka_consume_batch_queue(queue.pointer, ms, buffer, 1)
                if count == 1, maxMessages > 1 {
                    count += max(0, rd_kafka_consume_batch_queue(queue.pointer, 0, buffer + 1, maxMessages - 1))
                }
            }
            if let error = state.withLock({ $0.takeRebalanceError() }) {
                for i in 0..<max(count, 0) { rd_kafka_message_destroy(buffer[i]) }
                throw error
            }
            guard count > 0 else { return [] }
            var messages: [KafkaMessage] = []
            messages.reserveCapacity(count)
            var lastTopic: (handle: OpaquePointer?, name: String) = (nil, "")
            for i in 0..<count {
                guard let raw = buffer[i] else { continue }
                defer { rd_kafka_message_destroy(raw) }
                if raw.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let error = KafkaError(raw.pointee.err)
                    guard error.isFatal else {
                        logger.warning("consumer error", metadata: ["error": "\(error)"])
                        continue
                    }
                    throw error
                }
                if raw.pointee.rkt != lastTopic.handle {
                    lastTopic = (raw.pointee.rkt, String(cString: rd_kafka_topic_name(raw.pointee.rkt)))
                }
                messages.append(KafkaMessage(copying: raw, topic: lastTopic.name))
            }
            return messages
        }
    }

    /// Commits `offsets` (the next offset to read per partition) to the group, synchronously.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) async throws(KafkaError) {
        let handle = self.handle
        try await worker.run { () throws(KafkaError) in
            let list = makeList(offsets.map { ($0.key, $0.value) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_commit(handle.pointer, list, 0)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, detail: "commit") }
        }
    }

    /// Stops fetching from these partitions (they stay assigned) until `resume`.
    public func pause(_ partitions: [KafkaTopicPartition]) async throws(KafkaError) {
        try await setPaused(partitions, paused: true)
    }

    /// Resumes fetching from paused partitions.
    public func resume(_ partitions: [KafkaTopicPartition]) async throws(KafkaError) {
        try await setPaused(partitions, paused: false)
    }

    private func setPaused(_ partitions: [KafkaTopicPartition], paused: Bool) async throws(KafkaError) {
        let handle = self.handle
        try await worker.run { () throws(KafkaError) in
            let list = makeList(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = paused ? rd_kafka_pause_partitions(handle.pointer, list) : rd_kafka_resume_partitions(handle.pointer, list)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, detail: paused ? "pause" : "resume") }
        }
    }

    /// Leaves the group (its partitions are revoked and handed to others) and stops reading.
    /// Waits for an in-flight `poll` to return first. Calling it twice is harmless.
    public func close() async {
        let (handle, state, logger) = (self.handle, self.state, self.logger)
        _ = try? await worker.run {
            guard !state.withLock({ $0.closed }) else { return }
            let err = rd_kafka_consumer_close(handle.pointer)
            state.withLock { $0.closed = true }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("consumer close", metadata: ["error": "\(KafkaError(err))"])
            }
        }
    }

    /// Waits for graceful shutdown or cancellation, then closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

/// What the consumer knows of its membership.
struct ConsumerState: Sendable {
    var assigned: Set<KafkaTopicPartition> = []
    var closed = false
    var rebalanceError: KafkaError?

    mutating func takeRebalanceError() -> KafkaError? {
        defer { rebalanceError = nil }
        return rebalanceError
    }
}

/// Owns the consumer's queue; keeps the handle alive until the queue is destroyed.
final class RDKafkaQueue: @unchecked Sendable {
    // Safe: librdkafka queues are thread-safe; the consumer only uses it from its worker.
    let pointer: OpaquePointer
    private let handle: RDKafkaHandle

    init(handle: RDKafkaHandle) {
        self.handle = handle
        pointer = rd_kafka_queue_get_consumer(handle.pointer)
    }

    deinit { rd_kafka_queue_destroy(pointer) }
}

func makeList(_ entries: [(KafkaTopicPartition, Int64)]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
    let list = rd_kafka_topic_partition_list_new(Int32(entries.count))!
    for (tp, offset) in entries {
        rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
    }
    return list
}

extension KafkaMessage {
    /// Copies a librdkafka message; `topic` is its topic's name (decoded once per batch).
    init(copying raw: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        let m = raw.pointee
        self.topic = topic
        partition = m.partition
        offset = m.offset
        key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(raw, &type)
        timestampMillis = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
        headers = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(raw, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(KafkaHeader(
                    key: name.map { String(cString: $0) } ?? "",
                    value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
                index += 1
            }
        }
    }
}
