import Domain
import Kafka

/// Reading a record of the ingest topic as a CloudEvent (binary mode when it carries `ce_`
/// headers, structured JSON otherwise), and writing the record that reports its rejection.
enum IngestMessage {
    static func isBinary(_ message: KafkaMessage) -> Bool {
        message.headers.contains { $0.key.lowercased().hasPrefix("ce_") }
    }

    static func submission(_ message: KafkaMessage) -> Submission {
        if isBinary(message) {
            return Submission(headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value, publisher: nil)
        }
        return Submission(jsonBytes: message.value, publisher: nil)
    }

    /// The record for `onewindow.rejected`: keyed by the original event id, the original
    /// headers kept, and the value `{"original": …, "reason": "…", "field": "…"}` where
    /// `original` is the event as JSON when it was JSON, else its text.
    static func rejection(of message: KafkaMessage, result: IngestResult, topic: String) -> KafkaOutgoingMessage {
        var report: [String: JSONValue] = ["original": original(message), "reason": .string(result.reason ?? "rejected")]
        report["field"] = result.field.map(JSONValue.string)
        return KafkaOutgoingMessage(topic: topic, key: result.id.map { Array($0.utf8) },
                                    value: JSONValue.object(report).encoded(), headers: message.headers)
    }

    static func original(_ message: KafkaMessage) -> JSONValue {
        let data: JSONValue = (try? JSONValue.parse(message.value)) ?? .string(String(decoding: message.value, as: UTF8.self))
        guard isBinary(message) else { return data }
        var attributes: [String: JSONValue] = [:]
        for header in message.headers {
            let name = header.key.lowercased()
            let text = JSONValue.string(String(decoding: header.value ?? [], as: UTF8.self))
            if name.hasPrefix("ce_") { attributes[String(name.dropFirst(3))] = text } else if name == "content-type" { attributes["datacontenttype"] = text }
        }
        if !message.value.isEmpty { attributes["data"] = data }
        return .object(attributes)
    }
}
