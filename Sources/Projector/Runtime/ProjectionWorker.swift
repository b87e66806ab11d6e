import Foundation
import Kafka
import Logging
import Metrics
import Relay
import Store

/// Consumes the canonical topics for one version of one projection, as the consumer group
/// of that version, and applies each batch with ``BatchApplier``. On assignment it starts
/// every partition at the offset the version stored with its rows. Returns when the version
/// is retired or the task is cancelled; a failing database is retried with backoff, never
/// skipped.
struct ProjectionWorker: Sendable {
    let definition: ProjectionDefinition
    let version: ProjectionVersion
    let registry: ProjectionRegistry
    let revealer: PersonalDataRevealer?
    let kafka: KafkaClientConfiguration
    let naming: TopicNaming
    let batchSize: Int
    let fetchWaitMilliseconds: Int
    let logger: Logger
    /// Told after every applied batch (tests and the rebuild command watch it).
    var onBatch: (@Sendable (BatchApplier.Outcome) -> Void)? = nil

    func run() async throws {
        let topics = version.consumption(or: definition).topics.map { naming.name(of: $0) }
        var configuration = KafkaConsumerConfiguration(client: kafka, groupID: registry.namespace.groupID(definition, version: version.version, topicPrefix: naming.prefix))
        configuration.offsetReset = .earliest
        configuration.sessionTimeoutMilliseconds = 10_000
        configuration.fetchWaitMaxMilliseconds = fetchWaitMilliseconds
        let (registry, definition, version) = (self.registry, self.definition, self.version)
        let consumer = try KafkaConsumer(
            configuration: configuration, topics: topics,
            offsetsOnAssign: { partitions in
                let stored = try await registry.offsets(projection: definition.name, version: version.version,
                                                        partitions: partitions.map { ($0.topic, $0.partition) })
                var result: [KafkaTopicPartition: Int64] = [:]
                for partition in partitions { result[partition] = stored[partition.topic]?[partition.partition] ?? 0 }
                return result
            },
            logger: logger)
        let applier = BatchApplier(definition: definition, version: version, registry: registry, revealer: revealer, logger: logger)
        let applied = Counter(label: "onewindow_projection_events_applied_total", dimensions: [("projection", definition.name)])
        let parked = Counter(label: "onewindow_projection_events_parked_total", dimensions: [("projection", definition.name)])
        logger.info("projection worker started", metadata: ["projection": "\(definition.name)", "version": "\(version.version)"])
        defer { logger.info("projection worker stopped", metadata: ["projection": "\(definition.name)", "version": "\(version.version)"]) }
        do {
            while !Task.isCancelled {
                let messages = try await consumer.poll(maxMessages: batchSize, timeout: .milliseconds(100))
                if messages.isEmpty { continue }
                let events = messages.map { BatchEvent($0, naming: naming) }
                var delay = Duration.milliseconds(100)
                while true {
                    do {
                        let outcome = try await applier.apply(events)
                        applied.increment(by: outcome.applied)
                        if outcome.parked > 0 { parked.increment(by: outcome.parked) }
                        onBatch?(outcome)
                        break
                    } catch is BatchApplier.VersionRetired {
                        await consumer.close()
                        return
                    } catch {
                        if Task.isCancelled { throw CancellationError() }
                        logger.warning("projection batch failed; retrying", metadata: [
                            "projection": "\(definition.name)", "version": "\(version.version)", "error": "\(error)",
                        ])
                        try await Task.sleep(for: delay)
                        delay = min(delay * 2, .seconds(5))
                    }
                }
            }
        } catch {
            await consumer.close()
            if error is CancellationError || Task.isCancelled { return }
            throw error
        }
        await consumer.close()
    }
}
