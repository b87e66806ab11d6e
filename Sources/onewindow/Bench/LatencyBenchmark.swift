import Domain
import Foundation
import Intake
import Kafka
import Logging
import PostgresNIO
import Projector
import Relay
import ServiceLifecycle
import Store
import Synchronization

/// `bench latency`: from an event accepted by the intake to its row visible in
/// `police.residents`, at a steady offered rate, with the parts `onewindow dev` runs (intake
/// pipeline, relay, producer, the police department's projector) in this process against the
/// local PostgreSQL and broker. Each registration is ingested on its own at its scheduled
/// time (open loop: a slow answer does not delay the next send). A watcher polls the store
/// (for the event's person and position) and the view (for the person's row) every
/// `pollInterval`; the relay's observer says when each position was published.
struct LatencyBenchmark {
    let environment: OneWindowEnvironment
    let secrets: Secrets
    let organizations: OrganizationDirectory
    let definitions: [ProjectionDefinition]
    let rate: Int
    let seconds: Int
    /// Events per ingest call (sent every `batch / rate` seconds).
    let batch: Int
    let logger: Logger
    let pollInterval = Duration.milliseconds(5)

    /// One measured event's instants (seconds since the run's start).
    struct Sample: Sendable {
        var scheduled: Double
        var accepted: Double?
        var position: Int64?
        var person: UUID?
        var published: Double?
        var visible: Double?
    }

    struct Result {
        var sent: Int
        var acceptedSeconds: [Double]
        var publishedSeconds: [Double]
        var visibleSeconds: [Double]
        var cpu: Double
        var postgresCPU: Double
        var peakRSSKiB: Int
    }

    /// Shared between the senders, the relay observer and the watcher.
    final class Board: Sendable {
        let samples: Mutex<[Sample]>
        /// (instant, highest position published) after every relayed batch.
        let relayed = Mutex<[(Double, Int64)]>([])

        init(count: Int, rate: Int, batch: Int) {
            samples = Mutex((0..<count).map { Sample(scheduled: Double($0 - $0 % batch) / Double(rate)) })
        }
    }

    func run() async throws -> Result {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let store = StoreConfiguration(schema: try SchemaName("bench_\(suffix)"))
        var configured = self.environment
        configured.topicPrefix = "bench-\(suffix)"
        configured.readModels = try ReadModelNamespace(prefix: "bench_\(suffix)_")
        let environment = configured
        let parts = ServiceAssembly(environment: environment, logger: logger, store: store)
        let police = definitions.filter { $0.department == "police" }
        guard let residents = police.first(where: { $0.name == "police.residents" }) else {
            throw BenchmarkFailure("the projections hold no police.residents")
        }
        print("bench latency: \(rate) events/s in ingests of \(batch) for \(seconds) s, store schema \(store.schema), topic prefix \(environment.topicPrefix)")

        let total = rate * seconds
        let board = Board(count: total, rate: rate, batch: batch)
        let clock = ContinuousClock()
        let origin = Mutex<ContinuousClock.Instant?>(nil)
        let since = { @Sendable () -> Double in
            origin.withLock { start in start.map { (clock.now - $0).seconds } } ?? -1
        }

        try await withPostgres(environment, logger: logger) { client in
            _ = try await Migrator(client: client, logger: logger).migrate(OneWindowSchemas.all(store: store, readModels: environment.readModels))
        }
        try await parts.ensureTopics()
        let producer = try parts.producer()
        let pipeline = try parts.intakePipeline(secrets, organizations: organizations)
        var relayConfiguration = RelayConfiguration(topics: TopicNaming(prefix: environment.topicPrefix))
        relayConfiguration.observer = { activity in
            if case .relayed(_, let upTo) = activity {
                let now = since()
                if now >= 0 { board.relayed.withLock { $0.append((now, upTo)) } }
            }
        }
        let relay = OutboxRelay(outbox: Outbox(client: parts.postgres, configuration: store, logger: logger),
                                producer: producer, configuration: relayConfiguration, logger: logger)
        let projector = try parts.projector(police, secrets: secrets)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: producer), .init(service: relay), .init(service: projector)],
            logger: logger))
        let view = "\(environment.readModels.viewSchema(residents)).\(residents.sqlName)"

        var result: Result?
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addImmediateTask { try await running(parts.postgres) { try await group.run() } }
            do {
                // Warm up: one registration through to the view (consumer group joined, caches filled).
                let warm = IntakeBenchEvents.residentID(9_000_000)
                let warmResult = try await pipeline.ingest([Submission(
                    jsonBytes: IntakeBenchEvents.registration(id: warm.0, birth: warm.1, event: "warm-\(suffix)"), publisher: "public-security")])
                guard warmResult.first?.status == .accepted else { throw BenchmarkFailure("the warm-up event was not accepted: \(warmResult)") }
                let warmDeadline = clock.now.advanced(by: .seconds(60))
                while (try? await count(client: parts.postgres, "SELECT count(*) FROM \(view)")) ?? 0 == 0 {  // the view appears when the projector starts
                    guard clock.now < warmDeadline else { throw BenchmarkFailure("the warm-up event never became visible") }
                    try await Task.sleep(for: .milliseconds(10))
                }

                let (cpu, pg) = (Measure.cpuSeconds(), Measure.postgresCPUSeconds())
                let start = clock.now
                origin.withLock { $0 = start }
                try await withThrowingTaskGroup(of: Void.self) { measuring in
                    measuring.addTask { try await self.watch(board: board, total: total, suffix: suffix, store: store, view: view, client: parts.postgres, since: since) }
                    measuring.addTask { try await self.send(board: board, total: total, suffix: suffix, pipeline: pipeline, start: start, since: since) }
                    try await measuring.waitForAll()
                }
                let cpuUsed = Measure.cpuSeconds() - cpu
                let pgUsed = Measure.postgresCPUSeconds() - pg
                let samples = board.samples.withLock { $0 }
                let relayed = board.relayed.withLock { $0 }
                var accepted: [Double] = [], published: [Double] = [], visible: [Double] = []
                for sample in samples {
                    guard let at = sample.accepted, let seen = sample.visible, let position = sample.position else { continue }
                    accepted.append(at - sample.scheduled)
                    visible.append(seen - at)
                    if let out = relayed.first(where: { $0.1 >= position }) { published.append(max(0, out.0 - at)) }
                }
                result = Result(sent: samples.count,
                                acceptedSeconds: accepted, publishedSeconds: published, visibleSeconds: visible,
                                cpu: cpuUsed, postgresCPU: pgUsed, peakRSSKiB: Measure.peakRSSKiB())
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                try? await BenchCleanup.run(suffix: suffix, topicPrefixes: [environment.topicPrefix], environment: environment, logger: logger)
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await BenchCleanup.run(suffix: suffix, topicPrefixes: [environment.topicPrefix], environment: environment, logger: logger)
        return result!
    }

    /// Ingests events `k ..< k + batch` together at `k / rate` seconds after `start`, each
    /// call in its own task.
    private func send(board: Board, total: Int, suffix: String, pipeline: IntakePipeline, start: ContinuousClock.Instant,
                      since: @escaping @Sendable () -> Double) async throws {
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { senders in
            for first in stride(from: 0, to: total, by: batch) {
                let due = start.advanced(by: .seconds(Double(first) / Double(rate)))
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
                let range = first..<min(first + batch, total)
                let submissions = range.map { k in
                    let (id, birth) = IntakeBenchEvents.residentID(10_000_000 + k)
                    return Submission(jsonBytes: IntakeBenchEvents.registration(id: id, birth: birth, event: "latency-\(suffix)-\(k)"),
                                      publisher: "public-security")
                }
                senders.addTask {
                    let results = try await pipeline.ingest(submissions)
                    if let refused = results.first(where: { $0.status != .accepted }) {
                        throw BenchmarkFailure("event \(refused.id ?? "?") was not accepted: \(refused.status) \(refused.reason ?? "")")
                    }
                    let now = since()
                    board.samples.withLock { samples in for k in range { samples[k].accepted = now } }
                }
            }
            try await senders.waitForAll()
        }
    }

    /// Every `pollInterval`: reads the events stored since the last look (their person and
    /// position), then asks the view which of the (at most 1,000 oldest) people not yet seen
    /// have a row. Returns when every event is visible. Its queries stay small however far
    /// behind the system falls, so the watcher does not add load of its own.
    private func watch(board: Board, total: Int, suffix: String, store: StoreConfiguration, view: String, client: PostgresClient,
                       since: @escaping @Sendable () -> Double) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(Double(seconds) + 120))
        let prefix = "latency-\(suffix)-"
        var after: Int64 = 0
        var waiting: [(k: Int, person: UUID)] = []
        var visibleCount = 0
        while visibleCount < total {
            guard ContinuousClock.now < deadline else {
                throw BenchmarkFailure("\(total - visibleCount) of \(total) events were not visible within 120 s after the last send")
            }
            let stored = try await client.query(
                """
                SELECT event_id, stream, position FROM \(unescaped: store.schema.rawValue).events
                WHERE position > \(after) ORDER BY position LIMIT 5000
                """)
            var found: [(Int, UUID, Int64)] = []
            for try await (id, stream, position) in stored.decode((String, String, Int64).self) {
                after = max(after, position)
                guard id.hasPrefix(prefix), let k = Int(id.dropFirst(prefix.count)), let person = UUID(uuidString: stream) else { continue }
                found.append((k, person, position))
            }
            if !found.isEmpty {
                board.samples.withLock { samples in
                    for (k, person, position) in found { (samples[k].person, samples[k].position) = (person, position) }
                }
                waiting += found.map { ($0.0, $0.1) }
            }
            if !waiting.isEmpty {
                let asked = Array(waiting.prefix(1_000))
                // One index probe per person: as `= ANY(…)` over up to 1,000 people, PostgreSQL
                // read the whole view's table (≈ 13 ms at 100,000 rows) just when the system was
                // behind, and the watcher's own load was a third of a core.
                let rows = try await client.query("""
                    SELECT w.person FROM unnest(\(asked.map(\.person))::uuid[]) AS w(person)
                    WHERE EXISTS (SELECT 1 FROM \(unescaped: view) v WHERE v."personId" = w.person OFFSET 0)
                    """)
                var seen: Set<UUID> = []
                for try await person in rows.decode(UUID.self) { seen.insert(person) }
                if !seen.isEmpty {
                    let now = since()
                    let visible = waiting.filter { seen.contains($0.person) }
                    board.samples.withLock { samples in for (k, _) in visible { samples[k].visible = now } }
                    waiting.removeAll { seen.contains($0.person) }
                    visibleCount += visible.count
                }
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    private func count(client: PostgresClient, _ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql))
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }
}

extension LatencyBenchmark {
    static func table(_ r: Result, rate: Int, seconds: Int, batch: Int) -> String {
        func row(_ name: String, _ values: [Double]) -> String {
            let ms = { (p: Double) in String(format: "%.1f", Measure.percentile(values, p) * 1_000) }
            return "| \(name) | \(values.count) | \(ms(0.5)) | \(ms(0.9)) | \(ms(0.99)) | \(ms(1)) |"
        }
        return [
            "Latency: \(r.sent) registrations offered at \(rate)/s in ingest calls of \(batch) for \(seconds) s",
            "| stage | events | p50 ms | p90 ms | p99 ms | max ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            row("scheduled send → accepted (intake answer)", r.acceptedSeconds),
            row("accepted → published on the canonical topic (relay delivery report)", r.publishedSeconds),
            row("accepted → visible in police.residents", r.visibleSeconds),
            String(format: "CPU s of this process %.1f, of PostgreSQL %.1f; peak resident memory (VmHWM) %d MiB",
                   r.cpu, r.postgresCPU, r.peakRSSKiB / 1024),
        ].joined(separator: "\n")
    }
}
