/// Settings shared by every client. Each field documents its default.
public struct KafkaClientConfiguration: Sendable {
    /// Bootstrap brokers as `host:port`. No default: required.
    public var bootstrapServers: [String]
    /// `client.id`; default `onewindow`.
    public var clientID: String = "onewindow"
    /// Any further librdkafka property (see librdkafka's CONFIGURATION.md); applied last,
    /// so it overrides the typed fields. Default: none.
    public var extra: [String: String] = [:]

    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }

    /// Parses `host:port,host:port` (the `ONEWINDOW_KAFKA_BROKERS` format).
    public init(brokerList: String) {
        self.init(bootstrapServers: brokerList.split(separator: ",").map { $0.trimmingCharacters() })
    }

    var properties: [String: String] {
        ["bootstrap.servers": bootstrapServers.joined(separator: ","), "client.id": clientID]
    }
}

/// How a producer sends. Each field documents its default.
public struct KafkaProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// `enable.idempotence`: exactly one copy per send and per-partition order kept across
    /// retries; implies `acks=all`. Default `true`.
    public var idempotent = true
    /// `linger.ms`: how long to wait to fill a batch. Default 5 ms.
    public var lingerMilliseconds = 5
    /// `message.timeout.ms`: a record not acknowledged by then fails with `_MSG_TIMED_OUT`
    /// (a broker that is down never makes `send` hang forever). Default 30 s.
    public var messageTimeoutMilliseconds = 30_000
    /// `compression.codec`: `none`, `gzip`, `snappy`, `lz4`, `zstd`. Default `lz4`.
    public var compression = "lz4"
    /// `queue.buffering.max.messages`: records buffered before `send` waits. Default 500,000.
    public var maxQueuedMessages = 500_000

    /// `allow.auto.create.topics`: may sending to a missing topic create it? Default `false`:
    /// topics are created with their partition counts by `KafkaAdmin`, so a typo in a topic
    /// name fails with `_UNKNOWN_TOPIC` instead of creating a one-partition topic.
    public var autoCreateTopics = false
    /// `topic.metadata.propagation.max.ms`: how long a topic unknown to the cluster may take
    /// to appear before sends to it fail. Default 10 s.
    public var unknownTopicTimeoutMilliseconds = 10_000

    public init(client: KafkaClientConfiguration) {
        self.client = client
    }

    var properties: [String: String] {
        var p = client.properties
        p["allow.auto.create.topics"] = autoCreateTopics ? "true" : "false"
        p["topic.metadata.propagation.max.ms"] = String(unknownTopicTimeoutMilliseconds)
        p["enable.idempotence"] = idempotent ? "true" : "false"
        p["linger.ms"] = String(lingerMilliseconds)
        p["message.timeout.ms"] = String(messageTimeoutMilliseconds)
        p["compression.codec"] = compression
        p["queue.buffering.max.messages"] = String(maxQueuedMessages)
        return p.merging(client.extra) { _, new in new }
    }
}

/// How a consumer group member reads. Each field documents its default.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where to start a partition that has no offset from the application or the group.
    public enum OffsetReset: String, Sendable { case earliest, latest, error }

    public var client: KafkaClientConfiguration
    /// `group.id`. No default: required.
    public var groupID: String
    /// `auto.offset.reset`. Default `.earliest`: a new group reads everything.
    public var offsetReset = OffsetReset.earliest
    /// `session.timeout.ms`: a member silent this long is removed from the group. Default 10 s.
    public var sessionTimeoutMilliseconds = 10_000
    /// `partition.assignment.strategy`. Default `cooperative-sticky`: a rebalance moves only
    /// the partitions that must move. `range`/`roundrobin` give eager rebalances.
    public var assignmentStrategy = "cooperative-sticky"
    /// `enable.auto.commit`. Default `false`: the application decides when an offset is
    /// durable (in Kafka with `commit`, or in its own database with `offsetsOnAssign`).
    public var autoCommit = false
    /// `fetch.wait.max.ms`: the broker's longest wait for data. Default 100 ms.
    public var fetchWaitMaxMilliseconds = 100

    /// `fetch.queue.backoff.ms`: how long a partition's fetching pauses once its local queue
    /// is full. Default 10 ms (librdkafka's 1 s stalled batch readers for a whole second
    /// every time they fell behind the fetcher).
    public var fetchQueueBackoffMilliseconds = 10

    /// `queued.max.messages.kbytes`: how much this member prefetches into its local queue
    /// (all its partitions together; one fetch response may overshoot it). Default 16 MiB:
    /// librdkafka's 64 MiB let a process of several consumers catching up (a projector
    /// service after an outage, `onewindow dev` taking a burst) grow by 64 MiB per consumer.
    public var prefetchKilobytes = 16_384

    public init(client: KafkaClientConfiguration, groupID: String) {
        self.client = client
        self.groupID = groupID
    }

    var properties: [String: String] {
        var p = client.properties
        p["group.id"] = groupID
        p["auto.offset.reset"] = offsetReset.rawValue
        p["session.timeout.ms"] = String(sessionTimeoutMilliseconds)
        p["partition.assignment.strategy"] = assignmentStrategy
        p["enable.auto.commit"] = autoCommit ? "true" : "false"
        p["enable.auto.offset.store"] = "false"
        p["enable.partition.eof"] = "false"
        p["fetch.wait.max.ms"] = String(fetchWaitMaxMilliseconds)
        p["fetch.queue.backoff.ms"] = String(fetchQueueBackoffMilliseconds)
        p["queued.max.messages.kbytes"] = String(prefetchKilobytes)
        return p.merging(client.extra) { _, new in new }
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
