import CRdKafka
import Logging
import ServiceLifecycle
import Synchronization

/// A Kafka producer over librdkafka: idempotent by default, with an awaitable `send` and a
/// fire-and-forget `sendAndForget` whose reports arrive on `deliveryReports`.
///
/// Run it as a `Service` (or call `run()` in a task): `run` serves delivery reports until
/// graceful shutdown or cancellation, then flushes what is still queued.
public final class KafkaProducer: Service, Sendable {
    private let handle: RDKafkaHandle
    private let topics: TopicHandles
    private let router: DeliveryRouter
    private let nextID = Atomic<UInt64>(1)
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger
    /// Reports of records sent with `sendAndForget`, in the order the broker acknowledged them.
    public let deliveryReports: KafkaDeliveryReports

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let channel = ReportChannel()
        let router = DeliveryRouter(reports: channel)
        self.router = router
        self.deliveryReports = KafkaDeliveryReports(channel: channel)
        self.configuration = configuration
        self.logger = logger
        let context = CallbackContext(logger: logger, onDelivery: { router.deliver($0) })
        handle = try RDKafkaHandle(type: RD_KAFKA_PRODUCER, properties: configuration.properties, context: context)
        topics = TopicHandles(handle: handle)
    }

    /// Sends one record and waits for the broker's acknowledgement.
    /// - Throws: `KafkaError` when the record cannot be queued or delivered (unknown topic,
    ///   broker down past `message.timeout.ms`, …). Never hangs past that timeout.
    @discardableResult
    public func send(_ message: KafkaOutgoingMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let id = DeliveryRouter.awaitedFlag | nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        try handle.checkFatal()
        while true {
            let result: Result<KafkaDeliveryReport, KafkaError> = await withCheckedContinuation { continuation in
                router.expect(id, continuation)
                if let error = produce(message, id: id) { router.fail(id, error) }
            }
            if case .failure(let error) = result, error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue {
                try await waitForQueueSpace()
                continue
            }
            return try result.get()
        }
    }

    /// Queues one record and returns its id at once; the report arrives on `deliveryReports`.
    /// Waits (without blocking a thread) while librdkafka's queue is full.
    @discardableResult
    public func sendAndForget(_ message: KafkaOutgoingMessage) async throws(KafkaError) -> UInt64 {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue & ~DeliveryRouter.awaitedFlag
        try await enqueue(message, id: id)
        return id
    }

    /// Queues records in order and returns their ids; reports arrive on `deliveryReports`.
    /// One call for many records spares an async hop per record.
    @discardableResult
    public func sendAndForget(_ messages: [KafkaOutgoingMessage]) async throws(KafkaError) -> [UInt64] {
        try handle.checkFatal()
        var ids: [UInt64] = []
        ids.reserveCapacity(messages.count)
        for message in messages {
            let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue & ~DeliveryRouter.awaitedFlag
            if let error = produce(message, id: id) {
                guard error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue else { throw error }
                try await enqueue(message, id: id)
            }
            ids.append(id)
        }
        return ids
    }

    private func enqueue(_ message: KafkaOutgoingMessage, id: UInt64) async throws(KafkaError) {
        try handle.checkFatal()
        while true {
            guard let error = produce(message, id: id) else { return }
            guard error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue else { throw error }
            try await waitForQueueSpace()
        }
    }

    private func waitForQueueSpace() async throws(KafkaError) {
        do { try await Task.sleep(for: .milliseconds(1)) } catch {
            throw KafkaError(RD_KAFKA_RESP_ERR__DESTROY, detail: "cancelled while the send queue was full")
        }
    }

    private func produce(_ message: KafkaOutgoingMessage, id: UInt64) -> KafkaError? {
        let topic = topics.handle(for: message.topic)
        let headers = message.headers.isEmpty ? nil : makeHeaders(message.headers)
        let error: OpaquePointer? = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key in
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { vus in
                    var count = 6
                    vus.initialize(repeating: rd_kafka_vu_t())
                    vus[0].vtype = RD_KAFKA_VTYPE_RKT; vus[0].u.rkt = topic
                    vus[1].vtype = RD_KAFKA_VTYPE_VALUE
                    vus[1].u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: value.baseAddress), size: value.count)
                    vus[2].vtype = RD_KAFKA_VTYPE_KEY
                    vus[2].u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: key?.baseAddress), size: key?.count ?? 0)
                    vus[3].vtype = RD_KAFKA_VTYPE_OPAQUE; vus[3].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(id))
                    vus[4].vtype = RD_KAFKA_VTYPE_MSGFLAGS; vus[4].u.i = RD_KAFKA_MSG_F_COPY
                    vus[5].vtype = RD_KAFKA_VTYPE_PARTITION; vus[5].u.i32 = message.partition ?? -1
                    if let headers { vus[6].vtype = RD_KAFKA_VTYPE_HEADERS; vus[6].u.headers = headers; count = 7 }
                    return rd_kafka_produceva(handle.pointer, vus.baseAddress, count)
                }
            }
        }
        guard let error else { return nil }  // librdkafka now owns the headers
        if let headers { rd_kafka_headers_destroy(headers) }
        return KafkaError(consuming: error)
    }

    /// Waits until every queued record is acknowledged or failed, at most `timeout`.
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let handle = self.handle
        let ms = timeout.milliseconds
        let err = try await BlockingWorker(label: "onewindow.kafka.flush").run { rd_kafka_flush(handle.pointer, ms) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, detail: "\(rd_kafka_outq_len(handle.pointer)) records still queued") }
    }

    /// Serves delivery reports until graceful shutdown or cancellation, then flushes.
    public func run() async throws {
        let (handle, router) = (self.handle, self.router)
        let stop = StopFlag()
        let poller = BlockingWorker(label: "onewindow.kafka.producer.poll")
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                _ = try? await poller.run {
                    while !stop.isSet {
                        rd_kafka_poll(handle.pointer, 100)
                        router.flush()
                    }
                }
            } onCancel: { stop.set() }
        } onGracefulShutdown: { stop.set() }
        do { try await flush() } catch {
            logger.warning("producer closed with records undelivered", metadata: ["error": "\(error)"])
        }
        router.finish()
        logger.info("producer stopped")
    }
}

/// Routes each delivery report to the `send` awaiting it or to the report stream.
final class DeliveryRouter: Sendable {
    static let awaitedFlag: UInt64 = 1 << 63
    private let waiting = Mutex<[UInt64: CheckedContinuation<Result<KafkaDeliveryReport, KafkaError>, Never>]>([:])
    private let reports: ReportChannel

    init(reports: ReportChannel) {
        self.reports = reports
    }

    func expect(_ id: UInt64, _ continuation: CheckedContinuation<Result<KafkaDeliveryReport, KafkaError>, Never>) {
        waiting.withLock { $0[id] = continuation }
    }

    func deliver(_ report: KafkaDeliveryReport) {
        guard report.id & Self.awaitedFlag != 0 else { reports.append(report); return }
        let continuation = waiting.withLock { $0.removeValue(forKey: report.id) }
        continuation?.resume(returning: report.error.map { .failure($0) } ?? .success(report))
    }

    func fail(_ id: UInt64, _ error: KafkaError) {
        waiting.withLock { $0.removeValue(forKey: id) }?.resume(returning: .failure(error))
    }

    /// Hands the reports gathered during one poll to the reader.
    func flush() { reports.flush() }

    func finish() { reports.finish() }
}

/// A flag set once to ask a blocking loop to stop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

private func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
    let list = rd_kafka_headers_new(headers.count)!
    for header in headers {
        // The key goes with its length: passed as a C string, each key was copied into a new
        // NUL-terminated array first (a dozen allocations per relayed record).
        var key = header.key
        key.withUTF8 { key in
            header.withValueBytes { value in
                _ = key.withMemoryRebound(to: CChar.self) { key in
                    rd_kafka_header_add(list, key.baseAddress, key.count, value?.baseAddress, value?.count ?? 0)
                }
            }
        }
    }
    return list
}

func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
