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

    /// The record for `onewindow.rejected` (Events/asyncapi.yaml): keyed by the original event
    /// id, the original headers kept, and the value `{"event": …, "reason": "…", "field": "…"}`
    /// where `event` is the original as JSON (or its text when it was not JSON), or for a
    /// binary-mode message `{"headers": {…}, "value": …}`; `field` is "" for the whole event.
    static func rejection(of message: KafkaMessage, result: IngestResult, topic: String) -> KafkaOutgoingMessage {
        let report: [String: JSONValue] = ["event": original(message), "reason": .string(result.reason ?? "rejected"),
                                           "field": .string(result.field ?? "")]
        return KafkaOutgoingMessage(topic: topic, key: result.id.map { Array($0.utf8) },
                                    value: JSONValue.object(report).encoded(), headers: message.headers)
    }

    static func original(_ message: KafkaMessage) -> JSONValue {
        let value: JSONValue = (try? JSONValue.parse(message.value)) ?? .string(String(decoding: message.value, as: UTF8.self))
        guard isBinary(message) else { return value }
        var headers: [String: JSONValue] = [:]
        for header in message.headers { headers[header.key] = .string(String(decoding: header.value ?? [], as: UTF8.self)) }
        return .object(["headers": .object(headers), "value": value])
    }
}
