import Domain
import Kafka
import Relay

/// One record of a batch as the runtime stages it: where it came from, its subject, its raw
/// CloudEvent, and (for views that may see personal data) its `data` with the personal
/// fields decrypted.
struct BatchEvent: Sendable {
    let topic: String
    let partition: Int32
    let offset: Int64
    /// The logical topic (`person`, `housing`, `case`).
    let canonical: String
    let subject: String
    /// The event type from the `ce_type` header, when there is one.
    let type: String?
    /// `ce_id`, `ce_position` and `ce_time` from the headers, when there.
    let eventID: String?
    let position: Int64?
    let time: String?
    /// The structured-mode CloudEvent as UTF-8 JSON.
    let value: String
    /// The event's data with personal fields decrypted, JSON; empty when not revealed.
    var revealed: String = ""

    init(_ message: KafkaMessage, naming: TopicNaming) {
        topic = message.topic
        partition = message.partition
        offset = message.offset
        canonical = message.topic.hasPrefix(naming.prefix + ".")
            ? String(message.topic.dropFirst(naming.prefix.count + 1)) : message.topic
        subject = message.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let text = { (name: String) in message.header(name).map { String(decoding: $0, as: UTF8.self) } }
        type = text("ce_type")
        eventID = text("ce_id")
        position = text("ce_position").flatMap { Int64($0) }
        time = text("ce_time")
        value = String(decoding: message.value, as: UTF8.self)
    }

    /// For tests and the rebuild benchmark: an event built in memory.
    init(topic: String, partition: Int32, offset: Int64, canonical: String, subject: String, type: String?,
         eventID: String?, position: Int64?, time: String?, value: String) {
        (self.topic, self.partition, self.offset, self.canonical, self.subject, self.type) =
            (topic, partition, offset, canonical, subject, type)
        (self.eventID, self.position, self.time, self.value) = (eventID, position, time, value)
    }
}
