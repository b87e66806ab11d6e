import Foundation
import Intake
import Kafka
import Logging
import PostgresNIO
import Projector
import Relay
import Store
import Synchronization

/// `bench rebuild`: events/s into every read model from canonical topics pre-filled with a
/// synthetic city, by the real projector runtime (set-based handlers over batches), beside
/// the same runtime applying one event per transaction, so each handler statement touches one
/// event (the per-event INSERT/UPDATE projector). Both start from offset 0 in a fresh
/// read-model namespace, like a rebuild.
struct RebuildBenchmark {
    let environment: OneWindowEnvironment
    let secrets: Secrets
    let definitions: [ProjectionDefinition]
    let events: Int
    let baselineEvents: Int
    let batchSize: Int
    let logger: Logger

    struct Figure {
        var name: String
        var events: Int
        /// From the projector's start until every projection has consumed every record.
        var seconds: Double
        /// From the start until the first batch was committed (consumer group join).
        var joinSeconds: Double
        var cpu: Double
        var postgresCPU: Double
        /// Per projection, seconds from the start until it had consumed everything.
        var finished: [(projection: String, seconds: Double)]
        var applied: Int
        var parked: Int
        var rate: Double { Double(events) / seconds }
    }

    struct Result {
        var figures: [Figure]
        var produced: Int
        var fillSeconds: Double
        var peakRSSKiB: Int
    }

    func run() async throws -> Result {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let store = StoreConfiguration(schema: try SchemaName("bench_\(suffix)"))
        let main = TopicNaming(prefix: "bench-\(suffix)")
        let base = TopicNaming(prefix: "bench-\(suffix)-base")
        let mainModels = try ReadModelNamespace(prefix: "bench_\(suffix)_")
        let baseModels = try ReadModelNamespace(prefix: "bench_\(suffix)_b_")
        let parts = ServiceAssembly(environment: environment, logger: logger, store: store)
        let protection = try DataProtection(masterKey: secrets.dataKey)
        print("bench rebuild: \(definitions.count) projections, store schema \(store.schema), topic prefix \(main.prefix), read models \(mainModels.prefix)*")

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await parts.postgres.run() }
            defer { group.cancelAll() }
            let client = parts.postgres
            _ = try await Migrator(client: client, logger: logger).migrate([
                StoreMigrations.set(for: store), ProjectorMigrations.set(schema: mainModels.bookkeeping),
                ProjectorMigrations.set(schema: baseModels.bookkeeping),
            ])
            let admin = try parts.admin()
            for naming in [main, base] { try await CanonicalTopics.ensure(admin: admin, naming: naming) }
            do {
                let fillStart = ContinuousClock.now
                let fill = try await self.fill(main: main, base: base, protection: protection, label: "city-\(suffix)",
                                               keys: PersonKeyStore(client: client, configuration: store, logger: logger), parts: parts)
                let fillSeconds = (ContinuousClock.now - fillStart).seconds
                print(String(format: "  filled: %d events (%d also on the baseline's topics) in %.1f s", fill.produced, fill.baselineProduced, fillSeconds))

                var figures: [Figure] = []
                figures.append(try await project(
                    "one event per transaction (baseline)", events: fill.baselineProduced, naming: base, namespace: baseModels,
                    batchSize: 1, ends: fill.baselineEnds, store: store, protection: protection, client: client))
                figures.append(try await project(
                    "batches of up to \(batchSize), set-based handlers", events: fill.produced, naming: main, namespace: mainModels,
                    batchSize: batchSize, ends: fill.ends, store: store, protection: protection, client: client))
                try await BenchCleanup.run(suffix: suffix, topicPrefixes: [main.prefix, base.prefix], environment: environment, logger: logger)
                return Result(figures: figures, produced: fill.produced, fillSeconds: fillSeconds, peakRSSKiB: Measure.peakRSSKiB())
            } catch {
                try? await BenchCleanup.run(suffix: suffix, topicPrefixes: [main.prefix, base.prefix], environment: environment, logger: logger)
                throw error
            }
        }
    }

    // MARK: Filling the topics

    /// Offsets past the last record per topic and partition, from the delivery reports.
    final class Deliveries: Sendable {
        private let state = Mutex<(count: Int, ends: [String: [Int32: Int64]], error: KafkaError?)>((0, [:], nil))

        func record(_ report: KafkaDeliveryReport) {
            state.withLock { state in
                state.count += 1
                if let error = report.error { state.error = state.error ?? error; return }
                let end = max(state.ends[report.topic]?[report.partition] ?? 0, report.offset + 1)
                state.ends[report.topic, default: [:]][report.partition] = end
            }
        }

        var count: Int { state.withLock { $0.count } }
        var ends: [String: [Int32: Int64]] { state.withLock { $0.ends } }
        var error: KafkaError? { state.withLock { $0.error } }
    }

    struct Fill {
        var produced = 0
        var baselineProduced = 0
        var ends: [String: [Int32: Int64]] = [:]
        var baselineEnds: [String: [Int32: Int64]] = [:]
    }

    /// Produces the city chunk by chunk (and its first chunks again to the baseline's topics),
    /// stores the people's wrapped keys, and waits for every delivery report.
    private func fill(main: TopicNaming, base: TopicNaming, protection: DataProtection, label: String,
                      keys: PersonKeyStore, parts: ServiceAssembly) async throws -> Fill {
        let producer = try parts.producer()
        let deliveries = Deliveries()
        var fill = Fill()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            group.addTask { for await report in producer.deliveryReports { deliveries.record(report) } }
            defer { group.cancelAll() }
            var city = SyntheticCity(protection: protection, naming: main, label: label)
            var person = 0
            var sent = 0
            while fill.produced < events {
                let chunk = try city.chunk(people: person..<(person + 2_000))
                person += 2_000
                _ = try await keys.resolvePeople(chunk.people)
                _ = try await producer.sendAndForget(chunk.records)
                sent += chunk.records.count
                fill.produced += chunk.records.count
                if fill.baselineProduced < baselineEvents {
                    let copies = chunk.records.map {
                        KafkaOutgoingMessage(topic: base.prefix + $0.topic.dropFirst(main.prefix.count), key: $0.key,
                                             value: $0.value, headers: $0.headers)
                    }
                    _ = try await producer.sendAndForget(copies)
                    sent += copies.count
                    fill.baselineProduced += copies.count
                }
                if let error = deliveries.error { throw error }
            }
            while deliveries.count < sent {
                if let error = deliveries.error { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
            if let error = deliveries.error { throw error }
        }
        for (topic, partitions) in deliveries.ends {
            if topic.hasPrefix(base.prefix + ".") { fill.baselineEnds[topic] = partitions } else { fill.ends[topic] = partitions }
        }
        return fill
    }

    // MARK: Projecting

    /// Runs a projector over `naming`'s topics into `namespace` until every projection has
    /// consumed up to `ends`, and times it.
    private func project(_ name: String, events: Int, naming: TopicNaming, namespace: ReadModelNamespace, batchSize: Int,
                         ends: [String: [Int32: Int64]], store: StoreConfiguration, protection: DataProtection,
                         client: PostgresClient) async throws -> Figure {
        var settings = ProjectorSettings(kafka: KafkaClientConfiguration(bootstrapServers: environment.kafkaBrokers), naming: naming, store: store)
        settings.batchSize = batchSize
        settings.rebuildChangedDefinitions = false
        settings.lagInterval = .seconds(3_600)
        let service = ProjectorService(definitions: definitions, client: client, namespace: namespace, protection: protection,
                                       settings: settings, logger: logger)
        let bookkeeping = namespace.bookkeeping.rawValue
        let (cpu, pg) = (Measure.cpuSeconds(), Measure.postgresCPUSeconds())
        let start = ContinuousClock.now
        var finished: [String: Double] = [:]
        var joined: Double?
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            let deadline = start.advanced(by: .seconds(3_600))
            while finished.count < definitions.count {
                try await Task.sleep(for: .milliseconds(50))
                guard ContinuousClock.now < deadline else { throw BenchmarkFailure("\(name): not caught up within an hour") }
                let rows = try await client.query(PostgresQuery(unsafeSQL: """
                    SELECT o.projection, o.topic, o.partition, o.next_offset
                    FROM \(bookkeeping).offsets o JOIN \(bookkeeping).versions v USING (projection, version)
                    WHERE v.state = 'live'
                    """))
                var consumed: [String: [String: [Int32: Int64]]] = [:]
                for try await (projection, topic, partition, next) in rows.decode((String, String, Int32, Int64).self) {
                    consumed[projection, default: [:]][topic, default: [:]][partition] = next
                }
                let now = (ContinuousClock.now - start).seconds
                if joined == nil, !consumed.isEmpty { joined = now }
                for definition in definitions where finished[definition.name] == nil {
                    let done = definition.topics.allSatisfy { topic in
                        let name = naming.name(of: topic)
                        return (ends[name] ?? [:]).allSatisfy { partition, end in
                            (consumed[definition.name]?[name]?[partition] ?? 0) >= end
                        }
                    }
                    if done { finished[definition.name] = now }
                }
            }
        }
        let seconds = (ContinuousClock.now - start).seconds
        let (cpuUsed, pgUsed) = (Measure.cpuSeconds() - cpu, Measure.postgresCPUSeconds() - pg)
        var applied = 0
        var parked = 0
        let totals = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT (SELECT coalesce(sum(applied), 0)::bigint FROM \(bookkeeping).progress),
                   (SELECT count(*) FROM \(bookkeeping).parked)
            """))
        for try await (a, p) in totals.decode((Int64, Int64).self) { (applied, parked) = (Int(a), Int(p)) }
        print(String(format: "  %@: %d events in %.2f s (%.0f events/s), %d applications, %d parked", name, events, seconds,
                     Double(events) / seconds, applied, parked))
        return Figure(name: name, events: events, seconds: seconds, joinSeconds: joined ?? seconds, cpu: cpuUsed, postgresCPU: pgUsed,
                      finished: finished.sorted { $0.value < $1.value }.map { ($0.key, $0.value) },
                      applied: applied, parked: parked)
    }

    static func table(_ result: Result, definitions: Int) -> String {
        var lines = [
            "Rebuild: \(definitions) projections, \(result.produced) synthetic events produced in \(String(format: "%.1f", result.fillSeconds)) s",
            "| figure | events | events/s | seconds | of which group join | CPU s of this process | CPU s of PostgreSQL | applications | parked |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for f in result.figures {
            lines.append("| \(f.name) | \(f.events) | \(Int(f.rate)) | \(String(format: "%.2f", f.seconds)) | \(String(format: "%.2f", f.joinSeconds)) | \(String(format: "%.1f", f.cpu)) | \(String(format: "%.1f", f.postgresCPU)) | \(f.applied) | \(f.parked) |")
        }
        if result.figures.count == 2 {
            lines.append(String(format: "Batched ÷ baseline: %.1f×", result.figures[1].rate / result.figures[0].rate))
        }
        for f in result.figures {
            lines.append("\(f.name), seconds until each projection had consumed everything: "
                + f.finished.map { "\($0.projection) \(String(format: "%.1f", $0.seconds))" }.joined(separator: ", "))
        }
        lines.append("Peak resident memory (VmHWM) of this process: \(result.peakRSSKiB / 1024) MiB")
        return lines.joined(separator: "\n")
    }
}
