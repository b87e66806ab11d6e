import CRdKafka
import Logging
import Synchronization

/// What librdkafka's callbacks reach: the logger and the hooks of the owning client.
///
/// librdkafka calls back on its own threads with the handle's opaque pointer; this object is
/// that opaque, retained for as long as the handle lives.
final class CallbackContext: Sendable {
    let logger: Logger
    /// The last fatal error librdkafka reported, surfaced by the next call.
    let fatalError = Mutex<KafkaError?>(nil)
    /// Topic names by librdkafka topic handle, so a delivery report does not decode the
    /// C string again for every record.
    let topicNames = Mutex<[UInt: String]>([:])
    let onDelivery: (@Sendable (KafkaDeliveryReport) -> Void)?
    let onRebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)?

    init(
        logger: Logger,
        onDelivery: (@Sendable (KafkaDeliveryReport) -> Void)? = nil,
        onRebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)? = nil
    ) {
        self.logger = logger
        self.onDelivery = onDelivery
        self.onRebalance = onRebalance
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> CallbackContext? {
        opaque.map { Unmanaged<CallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// Owns one `rd_kafka_t` and frees it. The only type that creates or destroys a handle.
///
/// `@unchecked Sendable` is safe here: librdkafka documents `rd_kafka_t` as thread-safe for
/// produce, poll, metadata and admin calls; consumer calls that are not are serialized by
/// `KafkaConsumer` on its own worker.
final class RDKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: CallbackContext
    private let retainedContext: Unmanaged<CallbackContext>

    init(type: rd_kafka_type_t, properties: [String: String], context: CallbackContext) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError(code: -1, message: "rd_kafka_conf_new failed") }
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            var errstr = [CChar](repeating: 0, count: 512)
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.configuration(key, String(errorBuffer: errstr))
            }
        }
        retainedContext = Unmanaged.passRetained(context)
        self.context = context
        rd_kafka_conf_set_opaque(conf, retainedContext.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdLogCallback)
        rd_kafka_conf_set_error_cb(conf, rdErrorCallback)
        if context.onDelivery != nil { rd_kafka_conf_set_dr_msg_cb(conf, rdDeliveryCallback) }
        if context.onRebalance != nil { rd_kafka_conf_set_rebalance_cb(conf, rdRebalanceCallback) }

        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            retainedContext.release()
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue,
                             message: String(errorBuffer: errstr))
        }
        pointer = handle  // rd_kafka_new took ownership of conf
    }

    deinit {
        rd_kafka_destroy(pointer)
        retainedContext.release()
    }

    /// Throws the fatal error librdkafka reported, if any.
    func checkFatal() throws(KafkaError) {
        if let error = context.fatalError.withLock({ $0 }) { throw error }
    }
}

private let rdLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = { rk, level, facility, buffer in
    guard let rk, let context = CallbackContext.from(rd_kafka_opaque(rk)) else { return }
    let message = buffer.map { String(cString: $0) } ?? ""
    let fac = facility.map { String(cString: $0) } ?? ""
    // librdkafka uses syslog levels: 0 emergency … 7 debug.
    let swiftLevel: Logger.Level = switch level {
    case ...3: .error
    case 4: .warning
    case 5, 6: .info
    default: .debug
    }
    context.logger.log(level: swiftLevel, "\(message)", metadata: ["rdkafka.facility": "\(fac)"])
}

private let rdErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = { rk, err, reason, opaque in
    guard let context = CallbackContext.from(opaque) else { return }
    let code = rd_kafka_resp_err_t(rawValue: err)
    let text = reason.map { String(cString: $0) } ?? ""
    if code == RD_KAFKA_RESP_ERR__FATAL, let rk {
        var errstr = [CChar](repeating: 0, count: 512)
        let original = rd_kafka_fatal_error(rk, &errstr, errstr.count)
        let error = KafkaError(code: original.rawValue, message: String(errorBuffer: errstr), isFatal: true)
        context.fatalError.withLock { $0 = error }
        context.logger.error("librdkafka fatal error", metadata: ["error": "\(error)"])
    } else {
        context.logger.warning("librdkafka error", metadata: ["error": "\(KafkaError(code, detail: text))"])
    }
}

private let rdDeliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = { _, message, opaque in
    guard let message, let context = CallbackContext.from(opaque) else { return }
    let m = message.pointee
    let error: KafkaError? = m.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(m.err)
    let report = KafkaDeliveryReport(
        id: UInt64(UInt(bitPattern: m._private)),
        topic: m.rkt.map { rkt in
            context.topicNames.withLock { names in
                let key = UInt(bitPattern: rkt)
                if let name = names[key] { return name }
                let name = String(cString: rd_kafka_topic_name(rkt))
                names[key] = name
                return name
            }
        } ?? "",
        partition: m.partition,
        offset: error == nil ? m.offset : -1,
        error: error
    )
    context.onDelivery?(report)
}

private let rdRebalanceCallback: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?) -> Void = { rk, err, partitions, opaque in
    guard let rk, let partitions, let context = CallbackContext.from(opaque) else { return }
    context.onRebalance?(rk, err, partitions)
}

extension rd_kafka_topic_partition_list_t {
    /// The list's topic-partitions as Swift values.
    var swiftPartitions: [KafkaTopicPartition] {
        (0..<Int(cnt)).map { i in
            KafkaTopicPartition(topic: String(cString: elems[i].topic), partition: elems[i].partition)
        }
    }
}

extension String {
    /// Decodes a NUL-terminated error buffer that librdkafka filled in.
    init(errorBuffer: [CChar]) {
        self.init(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
