import Foundation
import Intake
import Kafka
import Logging
import Metrics
import PostgresNIO
import Relay
import ServiceLifecycle
import Store
import Synchronization

/// What every projection of a projector process shares.
public struct ProjectorSettings: Sendable {
    public var kafka: KafkaClientConfiguration
    public var naming: TopicNaming
    /// The store holding the per-person keys (for views with personal columns).
    public var store: StoreConfiguration
    /// Records per batch (and so per transaction).
    public var batchSize = 5_000
    /// The broker's longest wait for new records per fetch (`fetch.wait.max.ms`). Short, so a
    /// new event reaches the view quickly on a broker that answers a fetch only when this
    /// wait ends (Kafka answers as soon as data arrives; there it only bounds idle fetches).
    public var fetchWaitMilliseconds = 10
    /// How often the live and building versions are checked (rebuilds, switches).
    public var checkInterval: Duration = .seconds(1)
    /// How often lag is measured for the metric.
    public var lagInterval: Duration = .seconds(10)
    /// Start a rebuild by itself when the definition on disk differs from the live version's.
    public var rebuildChangedDefinitions = true

    public init(kafka: KafkaClientConfiguration, naming: TopicNaming, store: StoreConfiguration) {
        (self.kafka, self.naming, self.store) = (kafka, naming, store)
    }
}

/// `onewindow serve projector --department D` (and a part of `onewindow dev`): keeps the
/// department's read models current. Per projection it runs a worker for the live version,
/// and one for a version being rebuilt; when the rebuild has caught up it switches the view
/// over and the old worker stops.
public final class ProjectorService: Service, Sendable {
    let definitions: [ProjectionDefinition]
    let registry: ProjectionRegistry
    let revealer: PersonalDataRevealer?
    let settings: ProjectorSettings
    let logger: Logger

    public init(definitions: [ProjectionDefinition], client: PostgresClient, namespace: ReadModelNamespace,
                protection: DataProtection?, settings: ProjectorSettings, logger: Logger) {
        self.definitions = definitions
        self.registry = ProjectionRegistry(client: client, namespace: namespace, logger: logger)
        self.revealer = protection.map {
            PersonalDataRevealer(keys: PersonKeyStore(client: client, configuration: settings.store, logger: logger), protection: $0)
        }
        self.settings = settings
        self.logger = logger
    }

    /// Runs until cancelled or until graceful shutdown, which are a clean end (not an error).
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for definition in self.definitions {
                        let runner = self.runner(definition)
                        group.addTask { try await runner.run(until: .cancelled) }
                    }
                    group.addTask { try await self.measureLag() }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            logger.info("projector stopped")
        }
    }

    /// Rebuilds `definition` beside its live version and returns once the view has switched
    /// to the new version (or the task is cancelled). `onBatch` sees every applied batch.
    public func rebuild(_ definition: ProjectionDefinition, onBatch: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ProjectionVersion {
        let building = try await registry.startBuilding(definition)
        try await runner(definition, onBatch: onBatch).run(until: .switched(building.version))
        return building
    }

    func runner(_ definition: ProjectionDefinition, onBatch: (@Sendable (Int, Int) -> Void)? = nil) -> ProjectionRunner {
        // Each version's applier decides whether to reveal (a live version as it was made).
        ProjectionRunner(definition: definition, registry: registry, revealer: revealer,
                         settings: settings, logger: logger, onBatch: onBatch)
    }

    private func measureLag() async throws {
        let reader = ProjectionStatusReader(registry: registry, kafka: settings.kafka, naming: settings.naming, logger: logger)
        while !Task.isCancelled {
            try await Task.sleep(for: settings.lagInterval)
            guard let statuses = try? await reader.read(definitions) else { continue }
            for status in statuses where status.state == .live {
                for partition in status.partitions {
                    Gauge(label: "onewindow_projection_lag", dimensions: [
                        ("projection", status.projection), ("topic", partition.topic), ("partition", "\(partition.partition)"),
                    ]).record(partition.lag)
                }
                Gauge(label: "onewindow_projection_parked", dimensions: [("projection", status.projection)]).record(status.parked)
            }
        }
    }
}

/// Supervises the workers of one projection.
struct ProjectionRunner: Sendable {
    enum Until: Equatable { case cancelled, switched(Int) }

    let definition: ProjectionDefinition
    let registry: ProjectionRegistry
    let revealer: PersonalDataRevealer?
    let settings: ProjectorSettings
    let logger: Logger
    let onBatch: (@Sendable (Int, Int) -> Void)?

    func run(until goal: Until) async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await registry.ensureLive(definition)
                break
            } catch {
                logger.warning("projection cannot start yet", metadata: ["projection": "\(definition.name)", "error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        let finished = FinishedWorkers()
        var running: [Int: Task<Void, Never>] = [:]
        let outcome: Result<Void, any Error>
        do {
            try await supervise(until: goal, running: &running, finished: finished)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        for task in running.values { task.cancel() }
        for task in running.values { await task.value }
        try outcome.get()
    }

    private func supervise(until goal: Until, running: inout [Int: Task<Void, Never>], finished: FinishedWorkers) async throws {
        while !Task.isCancelled {
            let versions: ProjectionVersions
            do {
                versions = try await registry.versions(of: definition.name)
            } catch {
                logger.warning("projection registry unavailable", metadata: ["projection": "\(definition.name)", "error": "\(error)"])
                try await Task.sleep(for: settings.checkInterval)
                continue
            }
            if case .switched(let target) = goal, versions.live?.version == target { return }
            if goal == .cancelled, settings.rebuildChangedDefinitions, versions.building == nil,
               let live = versions.live, live.fingerprint != definition.fingerprint {
                logger.notice("projection definition changed; rebuilding", metadata: ["projection": "\(definition.name)"])
                _ = try? await registry.startBuilding(definition)
                continue
            }
            var wanted: [ProjectionVersion] = []
            if goal == .cancelled, let live = versions.live { wanted.append(live) }
            if let building = versions.building { wanted.append(building) }
            for (number, task) in running where !wanted.contains(where: { $0.version == number }) {
                task.cancel()
                running[number] = nil
            }
            for version in wanted {
                let done = finished.take(version.version)
                if running[version.version] != nil, !done { continue }
                running[version.version] = Task { [self] in
                    defer { finished.insert(version.version) }
                    do {
                        try await worker(version).run()
                    } catch {
                        logger.error("projection worker failed; restarting", metadata: [
                            "projection": "\(definition.name)", "version": "\(version.version)", "error": "\(error)",
                        ])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
            if let building = versions.building {
                do {
                    if try await registry.switchIfCaughtUp(definition, building: building.version) { continue }
                } catch {
                    logger.warning("projection switch check failed", metadata: ["projection": "\(definition.name)", "error": "\(error)"])
                }
            }
            try await Task.sleep(for: settings.checkInterval)
        }
    }

    private func worker(_ version: ProjectionVersion) -> ProjectionWorker {
        var worker = ProjectionWorker(
            definition: definition, version: version, registry: registry, revealer: revealer, kafka: settings.kafka,
            naming: settings.naming, batchSize: settings.batchSize, fetchWaitMilliseconds: settings.fetchWaitMilliseconds,
            logger: logger)
        if let callback = onBatch {
            worker.onBatch = { @Sendable (outcome: BatchApplier.Outcome) in callback(outcome.applied, outcome.parked) }
        }
        return worker
    }
}

/// The versions whose worker task has ended (so the runner starts it again).
final class FinishedWorkers: Sendable {
    private let versions = Mutex<Set<Int>>([])

    func insert(_ version: Int) { _ = versions.withLock { $0.insert(version) } }

    /// True (and forgotten) when `version`'s worker had ended.
    func take(_ version: Int) -> Bool { versions.withLock { $0.remove(version) != nil } }
}
