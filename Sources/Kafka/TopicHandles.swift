import CRdKafka
import Synchronization

/// librdkafka topic handles by name, made once per topic: sending by handle spares
/// librdkafka a topic lookup (and its lock) per record. Destroyed before the client handle.
final class TopicHandles: @unchecked Sendable {
    // Safe: the map is behind a Mutex; topic handles are thread-safe in librdkafka and live
    // until deinit, which runs before the client handle (kept alive by `handle`) is destroyed.
    private let handle: RDKafkaHandle
    private let handles = Mutex<[String: UInt]>([:])

    init(handle: RDKafkaHandle) {
        self.handle = handle
    }

    func handle(for topic: String) -> OpaquePointer {
        handles.withLock { handles in
            if let existing = handles[topic] { return OpaquePointer(bitPattern: existing)! }
            let created = rd_kafka_topic_new(handle.pointer, topic, nil)!
            handles[topic] = UInt(bitPattern: created)
            return created
        }
    }

    deinit {
        handles.withLock { handles in
            for rkt in handles.values { rd_kafka_topic_destroy(OpaquePointer(bitPattern: rkt)) }
        }
    }
}
