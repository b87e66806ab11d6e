import API
import Domain
import Foundation
import Intake
import Kafka
import Logging
import PostgresNIO
import Relay
import ServiceLifecycle
import Store
import Synchronization

/// `bench intake`: events/s from HTTP batches and from the ingest topic until the relay has
/// published them on the canonical topics, beside single-row INSERTs of the same events' JSON
/// (no validation), all in one run against a fresh store schema and topic prefix.
struct IntakeBenchmark {
    let environment: OneWindowEnvironment
    let secrets: Secrets
    let organizations: OrganizationDirectory
    let events: Int
    let connections: Int
    /// Events stored (and relayed) before the figures, so that they run against a store of that
    /// size with statistics, as a store in service is; 0 measures an empty store.
    var prefill = 0
    let logger: Logger

    struct Row {
        var figure: String
        var rate: Double
        var seconds: Double
        /// CPU seconds (user + system) this process, PostgreSQL and the broker used during the figure.
        var cpu = CPUUse()
    }

    /// How many messages the relay has published so far (observer → benchmark), and the
    /// benchmark's wait for a count, resumed by the observer itself: polling it every 2 ms took
    /// timer wake-ups from the process being measured (≈ 1.5 % of its CPU samples).
    final class Published: Sendable {
        private struct Waiter {
            let id: Int
            let target: Int
            let continuation: CheckedContinuation<Bool, Never>
        }

        private struct State {
            var messages = 0
            var waiters: [Waiter] = []
            var cancelled: Set<Int> = []
            var lastID = 0
        }

        private let state = Mutex(State())

        var messages: Int { state.withLock { $0.messages } }

        /// The observer's call: `count` more messages published.
        func add(_ count: Int) {
            let ready = state.withLock { state in
                state.messages += count
                let messages = state.messages
                let ready = state.waiters.filter { $0.target <= messages }
                state.waiters.removeAll { $0.target <= messages }
                return ready
            }
            for waiter in ready { waiter.continuation.resume(returning: true) }
        }

        /// Waits until `target` messages are published: true, or false once `timeout` passed.
        func wait(until target: Int, timeout: Duration) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { await self.reached(target) }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }

        private func reached(_ target: Int) async -> Bool {
            let id = state.withLock { state in
                state.lastID += 1
                return state.lastID
            }
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let answer: Bool? = state.withLock { state in
                        if state.messages >= target { return true }
                        if state.cancelled.remove(id) != nil { return false }
                        state.waiters.append(Waiter(id: id, target: target, continuation: continuation))
                        return nil
                    }
                    if let answer { continuation.resume(returning: answer) }
                }
            } onCancel: {
                let waiter: Waiter? = state.withLock { state in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                        state.cancelled.insert(id)  // not waiting yet: it will not start to
                        return nil
                    }
                    return state.waiters.remove(at: index)
                }
                waiter?.continuation.resume(returning: false)
            }
        }
    }

    final class Counters: Sendable {
        let next = Atomic<Int>(0)
        let accepted = Atomic<Int>(0)
    }

    /// One run's figures, its baseline's events/s and the process's peak resident memory.
    typealias Round = (rows: [Row], baseline: Double, peakRSSKiB: Int)

    func run() async throws -> Round {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let store = StoreConfiguration(schema: try SchemaName("bench_\(suffix)"))
        var environment = self.environment
        environment.topicPrefix = "bench-\(suffix)"
        let parts = ServiceAssembly(environment: environment, logger: logger, store: store)
        print("bench intake: schema \(store.schema), topic prefix \(environment.topicPrefix), \(events) events per figure")

        try await withPostgres(environment, logger: logger) { client in
            _ = try await Migrator(client: client, logger: logger).migrate(OneWindowSchemas.all(store: store, readModels: self.environment.readModels))
        }
        try await parts.ensureTopics()

        let httpEvents = IntakeBenchEvents.make(count: events, label: "http-\(suffix)", firstPerson: 0)
        let kafkaEvents = IntakeBenchEvents.keyed(count: events, label: "kafka-\(suffix)", firstPerson: 500_000)
        let directEvents = IntakeBenchEvents.make(count: events, label: "direct-\(suffix)", firstPerson: 1_000_000)

        let published = Published()
        let producer = try parts.producer()
        let pipeline = try parts.intakePipeline(secrets, organizations: organizations)
        let tokens = try await TokenAuthority(secret: secrets.tokenSecret)
        let token = try await tokens.issue(organization: "public-security", role: .departmentSystem)
        var relayConfiguration = RelayConfiguration(topics: TopicNaming(prefix: environment.topicPrefix))
        relayConfiguration.observer = { activity in
            if case .relayed(let count, _) = activity { published.add(count) }
        }
        let relay = OutboxRelay(outbox: Outbox(client: parts.postgres, configuration: store, logger: logger),
                                producer: producer, configuration: relayConfiguration, logger: logger)
        let port = Int.random(in: 20_000..<30_000)
        let http = try parts.http(port: port, intake: IntakeRoutes(pipeline: pipeline, tokens: tokens))
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: producer), .init(service: relay), .init(service: http)],
            logger: logger))

        var rows: [Row] = []
        var baseline = 0.0
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addImmediateTask { try await running(parts.postgres) { try await group.run() } }
            do {
                baseline = try await self.baseline(httpEvents, client: parts.postgres, schema: store.schema)
                try await self.prefill(label: "prefill-\(suffix)", pipeline: pipeline, client: parts.postgres,
                                       schema: store.schema, published: published)
                rows.append(try await self.http(httpEvents, port: port, token: token, client: parts.postgres,
                                                schema: store.schema, published: published))
                rows.append(try await self.direct(directEvents, pipeline: pipeline, prefix: "direct-\(suffix)",
                                                  client: parts.postgres, schema: store.schema, published: published))
                try await self.fillIngest(kafkaEvents, topic: IntakeTopics(prefix: environment.topicPrefix).ingest, parts: parts)
                let cpu = CPUUse.now()
                let before = published.messages
                let start = ContinuousClock.now
                let wallStart = Date()
                let consumer = try parts.ingestKafkaConsumer()
                await group.addServiceUnlessShutdown(try parts.ingestConsumer(pipeline: pipeline, producer: producer, consumer: consumer))
                let (assigned, cpuAssigned) = try await waitUntilAssigned(consumer)
                let (end, cpuEnd) = try await waitUntilRelayed(count: events, before: before, prefix: "kafka-\(suffix)", client: parts.postgres,
                                                               schema: store.schema, published: published)
                let firstStored = try await firstRecorded(prefix: "kafka-\(suffix)", client: parts.postgres, schema: store.schema)
                let total = (end - start).seconds
                rows.append(Row(figure: "Kafka ingest → canonical topics (from consumer start, incl. group join)",
                                rate: Double(events) / total, seconds: total, cpu: cpuEnd - cpu))
                // The door's own throughput: from the moment the group gave this member its
                // partitions (the join is a one-time wait of the broker's, ≈ 5 s with tansu).
                let fromAssigned = (end - assigned).seconds
                rows.append(Row(figure: "Kafka ingest → canonical topics (from partitions assigned)",
                                rate: Double(events) / fromAssigned, seconds: fromAssigned, cpu: cpuEnd - cpuAssigned))
                let fromFirst = total - firstStored.timeIntervalSince(wallStart)
                rows.append(Row(figure: "Kafka ingest → canonical topics (from first event stored)",
                                rate: Double(events) / fromFirst, seconds: fromFirst, cpu: cpuEnd - cpuAssigned))
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                try? await BenchCleanup.run(suffix: String(suffix), topicPrefixes: [environment.topicPrefix], environment: environment, logger: logger)
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await BenchCleanup.run(suffix: String(suffix), topicPrefixes: [environment.topicPrefix], environment: environment, logger: logger)
        return (rows, baseline, Measure.peakRSSKiB())
    }

    /// Single-row INSERTs of the events' JSON into a plain table (`text`, as the store keeps payloads, so
    /// nothing checks them), one statement each, sequential.
    private func baseline(_ events: [[UInt8]], client: PostgresClient, schema: SchemaName) async throws -> Double {
        try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(schema).baseline (id bigserial PRIMARY KEY, body text NOT NULL)"))
        let texts = events.map { String(decoding: $0, as: UTF8.self) }
        return try await client.withConnection { connection in
            let start = ContinuousClock.now
            let (cpu, pg) = (Measure.cpuSeconds(), Measure.postgresCPUSeconds())
            defer {
                print(String(format: "  baseline: %.2f s, CPU s of this process %.1f, of PostgreSQL %.1f", (ContinuousClock.now - start).seconds,
                             Measure.cpuSeconds() - cpu, Measure.postgresCPUSeconds() - pg))
            }
            for text in texts {
                try await connection.query("INSERT INTO \(unescaped: schema.rawValue).baseline (body) VALUES (\(text))",
                                           logger: logger)
            }
            return Double(texts.count) / (ContinuousClock.now - start).seconds
        }
    }

    /// Batches of 1,000 over `connections` concurrent connections, sent by one `curl --parallel`
    /// process (so the client's CPU is not this process's), timed from the start of `curl` until
    /// the relay has published every event.
    private func http(_ events: [[UInt8]], port: Int, token: String, client: PostgresClient, schema: SchemaName,
                      published: Published) async throws -> Row {
        let base = "http://127.0.0.1:\(port)"
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while try await Self.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/health/live"]).output != "200" {
            guard ContinuousClock.now < deadline else { throw BenchmarkFailure("the HTTP server did not start on port \(port)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onewindow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var requests: [String] = []  // one block per request; `next` resets the per-request options
        let starts = Array(stride(from: 0, to: events.count, by: 1_000))
        for (i, first) in starts.enumerated() {
            let body = directory.appendingPathComponent("batch-\(i).json")
            try IntakeBenchEvents.batchBody(events[first..<min(first + 1_000, events.count)]).write(to: body)
            requests.append("""
                url = "\(base)/v1/events"
                request = "POST"
                header = "Content-Type: application/cloudevents-batch+json"
                header = "Authorization: Bearer \(token)"
                data-binary = "@\(body.path)"
                output = "\(directory.appendingPathComponent("answer-\(i).json").path)"
                write-out = "%{http_code}\\n"

                """)
        }
        let config = requests.joined(separator: "next\n")
        let configFile = directory.appendingPathComponent("curl.config")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let before = published.messages
        let cpu = CPUUse.now()
        let start = ContinuousClock.now
        let (statuses, clientCPU) = try await Self.curl([
            "--silent", "--no-progress-meter", "--http1.1", "--parallel", "--parallel-max", String(connections), "-K", configFile.path,
        ])
        let sent = ContinuousClock.now
        guard statuses.split(separator: "\n").allSatisfy({ $0 == "200" }) else {
            throw BenchmarkFailure("POST /v1/events answered \(Set(statuses.split(separator: "\n")).sorted())")
        }
        let (end, cpuEnd) = try await waitUntilRelayed(count: events.count, before: before, prefix: nil, client: client, schema: schema,
                                                       published: published)
        // The answers are checked once the figure's clock and CPU count have stopped: reading
        // 50 answers of a thousand results took ≈ 3 % of the process's CPU.
        var accepted = 0
        for i in starts.indices {
            let text = try String(contentsOf: directory.appendingPathComponent("answer-\(i).json"), encoding: .utf8)
            if let firstReject = text.range(of: "\"rejected\"") {
                throw BenchmarkFailure("a batch was rejected: \(text[firstReject.lowerBound...].prefix(300))")
            }
            accepted += text.components(separatedBy: "\"accepted\"").count - 1
        }
        guard accepted == events.count else { throw BenchmarkFailure("HTTP: \(accepted) of \(events.count) events accepted") }
        print(String(format: "  HTTP: all %d answered after %.2f s; CPU s of the curl client %.2f", events.count, (sent - start).seconds, clientCPU))
        let total = (end - start).seconds
        return Row(figure: "HTTP batches of 1,000 (\(connections) connections) → canonical topics",
                   rate: Double(events.count) / total, seconds: total, cpu: cpuEnd - cpu)
    }

    /// Runs `curl` with `arguments`; its standard output, and the CPU seconds it used.
    private static func curl(_ arguments: [String]) async throws -> (output: String, cpu: Double) {
        let cpuBefore = Measure.childrenCPUSeconds()
        let finished = try await ChildProcess.run("/usr/bin/curl", arguments)
        guard finished.exited, [0, 7].contains(finished.status) else {
            throw BenchmarkFailure("curl failed with status \(finished.status)")
        }
        return (String(decoding: finished.output, as: UTF8.self), Measure.childrenCPUSeconds() - cpuBefore)
    }

    /// `IntakePipeline.ingest` called directly with batches of 1,000 (`connections` at a time):
    /// the HTTP figure without HTTP, JSON array parsing of the body, or the client.
    private func direct(_ events: [[UInt8]], pipeline: IntakePipeline, prefix: String, client: PostgresClient,
                        schema: SchemaName, published: Published) async throws -> Row {
        let before = published.messages
        let cpu = CPUUse.now()
        let start = ContinuousClock.now
        let accepted = try await ingest(events, pipeline: pipeline)
        guard accepted == events.count else {
            throw BenchmarkFailure("direct: \(accepted) of \(events.count) events accepted")
        }
        let stored = ContinuousClock.now
        let (end, cpuEnd) = try await waitUntilRelayed(count: events.count, before: before, prefix: prefix, client: client, schema: schema,
                                                       published: published)
        print(String(format: "  direct: all %d stored after %.2f s", events.count, (stored - start).seconds))
        let total = (end - start).seconds
        return Row(figure: "IntakePipeline.ingest in-process, batches of 1,000 (\(connections) at a time) → canonical topics",
                   rate: Double(events.count) / total, seconds: total, cpu: cpuEnd - cpu)
    }

    /// Calls `pipeline.ingest` with batches of 1,000, `connections` at a time; answers how many
    /// events were accepted.
    private func ingest(_ events: [[UInt8]], pipeline: IntakePipeline) async throws -> Int {
        let batches = stride(from: 0, to: events.count, by: 1_000).map { events[$0..<min($0 + 1_000, events.count)] }
        let counters = Counters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    while true {
                        let i = counters.next.add(1, ordering: .relaxed).oldValue
                        guard i < batches.count else { return }
                        let submissions = batches[i].map { Submission(jsonBytes: $0, publisher: "public-security") }
                        let results = try await pipeline.ingest(submissions)
                        counters.accepted.add(results.filter { $0.status == .accepted }.count, ordering: .relaxed)
                    }
                }
            }
            try await group.waitForAll()
        }
        return counters.accepted.load(ordering: .relaxed)
    }

    /// Stores ``prefill`` events of other people through the pipeline (untimed; generated
    /// 20,000 at a time), waits until the relay has published them, then analyzes the store's
    /// tables as autovacuum would have: the figures then meet indexes of that size and the
    /// planner's statistics, as in a store that has been in service (an empty store without
    /// statistics hid that PostgreSQL JIT-compiled the Kafka door's appends).
    private func prefill(label: String, pipeline: IntakePipeline, client: PostgresClient, schema: SchemaName,
                         published: Published) async throws {
        guard prefill > 0 else { return }
        let start = ContinuousClock.now
        let before = published.messages
        var done = 0
        while done < prefill {
            let chunk = IntakeBenchEvents.make(count: min(20_000, prefill - done), label: "\(label)-\(done)",
                                               firstPerson: 3_000_000 + done)
            let accepted = try await ingest(chunk, pipeline: pipeline)
            guard accepted == chunk.count else { throw BenchmarkFailure("prefill: \(accepted) of \(chunk.count) events accepted") }
            done += chunk.count
        }
        _ = try await waitUntilRelayed(count: prefill, before: before, prefix: label, client: client, schema: schema,
                                       published: published)
        try await client.query(PostgresQuery(unsafeSQL: "ANALYZE \(schema).events, \(schema).people"))
        print(String(format: "  prefill: %d events stored and relayed in %.1f s; events and people analyzed",
                     prefill, (ContinuousClock.now - start).seconds))
    }

    /// Produces the events to the ingest topic (structured JSON, keyed by subject as the README
    /// asks of department systems) and waits for every delivery.
    private func fillIngest(_ events: [(subject: String, json: [UInt8])], topic: String, parts: ServiceAssembly) async throws {
        let producer = try parts.producer()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            defer { group.cancelAll() }
            var reports = producer.deliveryReports.makeAsyncIterator()
            for event in events {
                try await producer.sendAndForget(KafkaOutgoingMessage(topic: topic, key: Array(event.subject.utf8), value: event.json))
            }
            var acknowledged = 0
            while acknowledged < events.count, let report = await reports.next() {
                if let error = report.error { throw error }
                acknowledged += 1
            }
        }
    }

    /// Waits until the relay has published `count` more messages than `before` (every bench
    /// event has a topic), watching the relay's observer rather than polling PostgreSQL
    /// (a poll would take CPU from what is measured); then checks, outside the timing, that the
    /// events (those whose id starts with `prefix`, or all) are all stored. Answers the moment
    /// of the last publication and the CPU used until then (the check is not counted).
    private func waitUntilRelayed(count: Int, before: Int, prefix: String?, client: PostgresClient, schema: SchemaName,
                                  published: Published) async throws -> (end: ContinuousClock.Instant, cpu: CPUUse) {
        guard await published.wait(until: before + count, timeout: .seconds(600)) else {
            throw BenchmarkFailure("the relay did not publish everything within 600 s")
        }
        let (end, cpu) = (ContinuousClock.now, CPUUse.now())
        let filter = prefix.map { "WHERE event_id LIKE '\($0)-%'" } ?? ""
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).events \(filter)"))
        for try await stored in rows.decode(Int.self) where stored < count {
            throw BenchmarkFailure("the relay published \(count) messages but only \(stored) events are stored")
        }
        return (end, cpu)
    }

    /// Waits until the group has assigned `consumer` its partitions (the rebalance is handled
    /// inside the door's poll): the moment and the CPU used until then. Looks every millisecond,
    /// only during the join.
    private func waitUntilAssigned(_ consumer: KafkaConsumer) async throws -> (at: ContinuousClock.Instant, cpu: CPUUse) {
        let deadline = ContinuousClock.now + .seconds(120)
        while consumer.assignment.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw BenchmarkFailure("the ingest consumer was not assigned a partition within 120 s")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        return (ContinuousClock.now, CPUUse.now())
    }

    private func firstRecorded(prefix: String, client: PostgresClient, schema: SchemaName) async throws -> Date {
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT min(recorded_at) FROM \(schema).events WHERE event_id LIKE '\(prefix)-%'"))
        for try await first in rows.decode(Date.self) { return first }
        throw BenchmarkFailure("no Kafka event was stored")
    }
}
