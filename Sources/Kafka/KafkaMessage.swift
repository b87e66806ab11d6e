/// One header of a Kafka record. Values are raw bytes; `nil` is a header without value.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    private var content: Content

    /// A text value stays the `String` it was given until it is sent: a relayed record has a
    /// dozen headers, and copying each into an array cost as many allocations per record.
    private enum Content: Sendable {
        case bytes([UInt8]?)
        case text(String)
    }

    /// The value's bytes; `nil` for a header without value.
    public var value: [UInt8]? {
        get {
            switch content {
            case .bytes(let bytes): bytes
            case .text(let text): Array(text.utf8)
            }
        }
        set { content = .bytes(newValue) }
    }

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.content = .bytes(value)
    }

    /// A header whose value is the UTF-8 of `string`.
    public init(key: String, string: String) {
        self.key = key
        self.content = .text(string)
    }

    /// Equal when key and value bytes are, however each was given.
    public static func == (lhs: KafkaHeader, rhs: KafkaHeader) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(value)
    }

    /// Calls `body` with the value's bytes (`nil` for a header without value), without copying
    /// a text value.
    func withValueBytes<R>(_ body: (UnsafeRawBufferPointer?) -> R) -> R {
        switch content {
        case .bytes(let bytes):
            guard let bytes else { return body(nil) }
            return bytes.withUnsafeBytes { body($0) }
        case .text(var text):
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}

/// A topic and a partition number.
public struct KafkaTopicPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A record read from a topic.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch, as the producer or broker stamped it (nil if unknown).
    public var timestampMillis: Int64?

    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The first header with this key, if any.
    public func header(_ key: String) -> [UInt8]? {
        headers.first { $0.key == key }?.value
    }
}

/// A record to send.
public struct KafkaOutgoingMessage: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// An explicit partition, or nil to let the partitioner choose from the key.
    public var partition: Int32?

    public init(topic: String, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = [], partition: Int32? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}

/// The broker's acknowledgement of one sent record, or why it failed.
public struct KafkaDeliveryReport: Sendable {
    /// The id `send`/`sendAndForget` returned for this record.
    public var id: UInt64
    public var topic: String
    public var partition: Int32
    /// The record's offset, or -1 when delivery failed.
    public var offset: Int64
    /// Why delivery failed, or nil when the record is stored on the broker.
    public var error: KafkaError?
}
