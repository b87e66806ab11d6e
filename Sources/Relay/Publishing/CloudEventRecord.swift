import Foundation
import Kafka
import Store

/// The Kafka record of a canonical event: CloudEvents 1.0 in structured mode, so the value is
/// the whole envelope as JSON (`content-type: application/cloudevents+json`) and a consumer
/// needs nothing but the value; the routing attributes are repeated as `ce_` headers so a
/// consumer can filter or deduplicate without parsing. The key is the subject (the stream).
///
/// The envelope holds the event as stored: `data` is copied byte for byte (personal fields
/// were protected by the intake before the append; nothing is added here), `time` is the
/// sender's instant in UTC, `subject` is the key, and the extension attributes `position`
/// (the store's global position) and `streamversion` say where it sits. String, integer and
/// boolean members of the event's metadata whose names are valid CloudEvents attribute names
/// (`personid`, `traceparent`, …) become extension attributes too, unless they would replace
/// one of the attributes above.
///
/// A re-published event (after a crash, or by replay) is the same record again: same key,
/// same `ce_id`, same `ce_position`; consumers deduplicate by `(ce_source, ce_id)` or by
/// position.
public enum CloudEventRecord {
    /// The record for `message`, to the topic `naming` gives it.
    public static func make(_ message: OutboxMessage, naming: TopicNaming) -> KafkaOutgoingMessage {
        let event = message.event
        let time = RFC3339.format(event.time)
        var headers = [
            KafkaHeader(key: "content-type", string: "application/cloudevents+json"),
            KafkaHeader(key: "ce_specversion", string: "1.0"),
            KafkaHeader(key: "ce_id", string: event.id),
            KafkaHeader(key: "ce_source", string: event.source),
            KafkaHeader(key: "ce_type", string: event.type),
            KafkaHeader(key: "ce_time", string: time),
            KafkaHeader(key: "ce_subject", string: message.key),
            KafkaHeader(key: "ce_actor", string: event.actor),
        ]
        if let region = event.region { headers.append(KafkaHeader(key: "ce_region", string: region)) }
        headers.append(KafkaHeader(key: "ce_position", string: String(event.position)))
        headers.append(KafkaHeader(key: "ce_streamversion", string: String(event.streamVersion)))
        return KafkaOutgoingMessage(
            topic: naming.publishedTopic(forRecorded: message.topic),
            key: Array(message.key.utf8),
            value: envelope(message, time: time),
            headers: headers
        )
    }

    /// The structured-mode JSON envelope, written straight out (a list of the attributes first
    /// cost a dozen enum values and their array per record).
    static func envelope(_ message: OutboxMessage, time: String) -> [UInt8] {
        let event = message.event
        var json = JSONWriter(capacity: event.data.count + 512)
        json.beginObject()
        json.attribute("specversion", literal: "1.0")
        json.attribute("id", event.id)
        json.attribute("source", event.source)
        json.attribute("type", event.type)
        json.attribute("time", time)
        json.attribute("datacontenttype", literal: "application/json")
        json.attribute("subject", message.key)
        json.attribute("actor", event.actor)
        if let region = event.region { json.attribute("region", region) }
        json.attribute("position", event.position)
        json.attribute("streamversion", event.streamVersion)
        // Metadata never replaces an attribute above or a data member. (Filtered before the
        // values are read: every event's metadata repeats `datacontenttype`.)
        let hasRegion = event.region != nil
        for (name, value) in ExtensionValue.extensions(fromMetadata: event.metadata, excluding: { name in
            isFixedAttribute(name) || (hasRegion && name == "region")
        }) {
            json.member(name, value)
        }
        json.rawAttribute("data", event.data)
        json.endObject()
        return json.bytes
    }

    /// The attributes every envelope has, and the names of its data. (Compared, not hashed: a
    /// set's lookup hashed each metadata name of each event.)
    static func isFixedAttribute(_ name: String) -> Bool {
        switch name {
        case "specversion", "id", "source", "type", "time", "datacontenttype", "subject", "actor", "position", "streamversion",
             "data", "data_base64": true
        default: false
        }
    }
}
