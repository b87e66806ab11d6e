import CRdKafka
import Logging

/// Topic administration and partition high-water marks (for lag).
public final class KafkaAdmin: Sendable {
    private let handle: RDKafkaHandle
    private let worker = BlockingWorker(label: "onewindow.kafka.admin")

    public init(configuration: KafkaClientConfiguration, logger: Logger) throws(KafkaError) {
        handle = try RDKafkaHandle(type: RD_KAFKA_PRODUCER, properties: configuration.properties.merging(configuration.extra) { _, new in new },
                                   context: CallbackContext(logger: logger))
    }

    /// Creates a topic with `partitions` partitions; a topic that already exists is fine.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1,
                            timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let handle = self.handle
        let ms = timeout.milliseconds
        try await worker.run { () throws(KafkaError) in
            var errstr = [CChar](repeating: 0, count: 512)
            guard let topic = rd_kafka_NewTopic_new(name, partitions, replicationFactor, &errstr, errstr.count) else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: String(errorBuffer: errstr))
            }
            defer { rd_kafka_NewTopic_destroy(topic) }
            let queue = rd_kafka_queue_new(handle.pointer)
            defer { rd_kafka_queue_destroy(queue) }
            var topics: [OpaquePointer?] = [topic]
            rd_kafka_CreateTopics(handle.pointer, &topics, 1, nil, queue)
            guard let event = rd_kafka_queue_poll(queue, ms) else {
                throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, detail: "create topic \(name)")
            }
            defer { rd_kafka_event_destroy(event) }
            let err = rd_kafka_event_error(event)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, detail: "create topic \(name)") }
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
            for i in 0..<count {
                let topicErr = rd_kafka_topic_result_error(results![i])
                if topicErr != RD_KAFKA_RESP_ERR_NO_ERROR && topicErr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                    throw KafkaError(topicErr, detail: "create topic \(name)")
                }
            }
        }
    }

    /// Deletes a topic and its records; a topic that does not exist is fine.
    public func deleteTopic(_ name: String, timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let handle = self.handle
        let ms = timeout.milliseconds
        try await worker.run { () throws(KafkaError) in
            guard let topic = rd_kafka_DeleteTopic_new(name) else {
                throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "delete topic \(name): invalid name")
            }
            defer { rd_kafka_DeleteTopic_destroy(topic) }
            let queue = rd_kafka_queue_new(handle.pointer)
            defer { rd_kafka_queue_destroy(queue) }
            var topics: [OpaquePointer?] = [topic]
            rd_kafka_DeleteTopics(handle.pointer, &topics, 1, nil, queue)
            guard let event = rd_kafka_queue_poll(queue, ms) else {
                throw KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, detail: "delete topic \(name)")
            }
            defer { rd_kafka_event_destroy(event) }
            let err = rd_kafka_event_error(event)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, detail: "delete topic \(name)") }
            var count = 0
            let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
            for i in 0..<count {
                let topicErr = rd_kafka_topic_result_error(results![i])
                if topicErr != RD_KAFKA_RESP_ERR_NO_ERROR && topicErr != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
                    throw KafkaError(topicErr, detail: "delete topic \(name)")
                }
            }
        }
    }

    /// Asks the cluster for its brokers; returns how many answered the metadata request.
    /// - Throws: a retriable `KafkaError` (`_TRANSPORT`, `_TIMED_OUT`) when none is reachable.
    public func brokerCount(timeout: Duration = .seconds(2)) async throws(KafkaError) -> Int {
        let handle = self.handle
        let ms = timeout.milliseconds
        return try await worker.run { () throws(KafkaError) -> Int in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle.pointer, 0, nil, &metadata, ms)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err, detail: "cluster metadata") }
            defer { rd_kafka_metadata_destroy(metadata) }
            return Int(metadata.pointee.broker_cnt)
        }
    }

    /// The names of every topic the cluster has (a metadata request for all topics, which
    /// never creates one, unlike asking about a single name on a broker that auto-creates).
    public func topicNames(timeout: Duration = .seconds(10)) async throws(KafkaError) -> Set<String> {
        let handle = self.handle
        let ms = timeout.milliseconds
        return try await worker.run { () throws(KafkaError) -> Set<String> in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle.pointer, 1, nil, &metadata, ms)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err, detail: "cluster metadata") }
            defer { rd_kafka_metadata_destroy(metadata) }
            var names: Set<String> = []
            for i in 0..<Int(metadata.pointee.topic_cnt) { names.insert(String(cString: metadata.pointee.topics[i].topic)) }
            return names
        }
    }

    /// The number of partitions of a topic.
    /// - Throws: `_UNKNOWN_TOPIC`/`UNKNOWN_TOPIC_OR_PART` when it does not exist.
    public func partitionCount(_ topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> Int32 {
        let handle = self.handle
        let ms = timeout.milliseconds
        return try await worker.run { () throws(KafkaError) -> Int32 in
            let rkt = rd_kafka_topic_new(handle.pointer, topic, nil)
            defer { rd_kafka_topic_destroy(rkt) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle.pointer, 0, rkt, &metadata, ms)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err, detail: "metadata of \(topic)") }
            defer { rd_kafka_metadata_destroy(metadata) }
            guard metadata.pointee.topic_cnt > 0 else { throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, detail: topic) }
            let t = metadata.pointee.topics[0]
            if t.err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(t.err, detail: topic) }
            return t.partition_cnt
        }
    }

    /// Low and high water marks of every partition of `topic` (high = next offset to be written).
    public func watermarks(_ topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaWatermarks] {
        let count = try await partitionCount(topic, timeout: timeout)
        let handle = self.handle
        let ms = timeout.milliseconds
        return try await worker.run { () throws(KafkaError) -> [KafkaWatermarks] in
            try (0..<count).map { (partition) throws(KafkaError) -> KafkaWatermarks in
                var low: Int64 = 0, high: Int64 = 0
                let err = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, ms)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, detail: "watermarks of \(topic)[\(partition)]") }
                return KafkaWatermarks(partition: KafkaTopicPartition(topic: topic, partition: partition), low: low, high: high)
            }
        }
    }
}

/// The oldest and the next offset of one partition.
public struct KafkaWatermarks: Sendable, Hashable {
    public var partition: KafkaTopicPartition
    public var low: Int64
    public var high: Int64
}

extension Duration {
    var milliseconds: Int32 {
        Int32(clamping: components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
