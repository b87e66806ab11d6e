import CRdKafka

/// An error from librdkafka or from the wrapper, with librdkafka's code and message.
///
/// `code` is librdkafka's `rd_kafka_resp_err_t` value (negative codes are local to the
/// client, positive ones come from the broker). `isFatal` means the client instance cannot
/// continue and must be recreated; `isRetriable` means the same call may succeed later.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`).
    public let code: Int32
    /// librdkafka's message, or the wrapper's own sentence.
    public let message: String
    public let isFatal: Bool
    public let isRetriable: Bool

    public init(code: Int32, message: String, isFatal: Bool = false, isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.isFatal = isFatal
        self.isRetriable = isRetriable
    }

    init(_ err: rd_kafka_resp_err_t, detail: String? = nil) {
        let text = String(cString: rd_kafka_err2str(err))
        self.init(
            code: err.rawValue,
            message: detail.map { "\(text): \($0)" } ?? text,
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL,
            isRetriable: KafkaError.retriableCodes.contains(err.rawValue)
        )
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: rd_kafka_error_code(error).rawValue,
            message: String(cString: rd_kafka_error_string(error)),
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0
        )
    }

    /// librdkafka's symbolic name of the code, e.g. `_MSG_TIMED_OUT`.
    public var name: String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    public var description: String { "KafkaError(\(name), \(code)): \(message)" }

    /// The producer or consumer was used after it was closed.
    public static let closed = KafkaError(code: RD_KAFKA_RESP_ERR__DESTROY.rawValue, message: "the client is closed")

    static func configuration(_ key: String, _ reason: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: "invalid configuration \(key): \(reason)")
    }

    public static func == (lhs: KafkaError, rhs: KafkaError) -> Bool { lhs.code == rhs.code }

    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT.rawValue, RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue, RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue,
    ]
}

extension KafkaError {
    /// The code of a message that could not be delivered because the topic does not exist.
    public static let unknownTopicCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue,
    ]
    /// Delivery did not complete within `message.timeout.ms` (e.g. the broker is down).
    public static let messageTimedOutCode = RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue
}
