import ArgumentParser
import Foundation
import Kafka
import Logging
import PostgresNIO
import Projector
import Relay
import Store
import Synchronization

/// `onewindow projections status|rebuild`: what every read model has consumed, and a
/// rebuild of one beside its live version.
struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "Read models: their status, and rebuilds.",
        subcommands: [Status.self, Rebuild.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per projection: version, lag per partition, last event time, events applied and parked.")

        @Flag(help: "Print the lag of every partition, not only the total.") var partitions = false

        func run() async throws {
            let environment = try loadEnvironmentOrExit()
            let catalog = try configured { () throws(ConfigurationError) in try loadProjections() }
            var quiet = Logger(label: "onewindow.projections")
            quiet.logLevel = .warning
            let logger = quiet
            let statuses = try await withPostgres(environment, logger: logger) { client in
                let registry = ProjectionRegistry(client: client, namespace: environment.readModels, logger: logger)
                return try await ProjectionStatusReader(
                    registry: registry, kafka: KafkaClientConfiguration(bootstrapServers: environment.kafkaBrokers),
                    naming: TopicNaming(prefix: environment.topicPrefix), logger: logger).read(catalog.definitions)
            }
            print(ProjectionStatusTable.render(statuses, definitions: catalog.definitions, partitions: partitions))
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build version N+1 of a projection from offset 0 beside the live one; switch when it has caught up.")

        @Argument(help: "The projection, e.g. police.residents.") var name: String

        func run() async throws {
            let environment = try loadEnvironmentOrExit()
            let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
            let catalog = try configured { () throws(ConfigurationError) in try loadProjections() }
            guard let definition = catalog.definition(named: name) else {
                FileHandle.standardError.write(Data("onewindow: no projection \(name) (have: \(catalog.definitions.map(\.name).joined(separator: ", ")))\n".utf8))
                throw ExitCode(2)
            }
            var logger = Logger(label: "onewindow.projections")
            logger.logLevel = .notice
            let parts = ServiceAssembly(environment: environment, logger: logger)
            let projector = try parts.projector([definition], secrets: secrets)
            let applied = Tally()
            let started = ContinuousClock.now
            let version = try await withThrowingTaskGroup(of: ProjectionVersion?.self) { group in
                group.addTask { await parts.postgres.run(); return nil }
                group.addTask {
                    try await projector.rebuild(definition) { count, _ in
                        let total = applied.add(count)
                        if total / 100_000 != (total - count) / 100_000 { print("rebuild: \(total) events applied") }
                    }
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let version = result { return version }
                }
                throw CancellationError()
            }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            print("rebuild: \(name) version \(version.version) is live (\(applied.value) events in \(String(format: "%.1f", seconds)) s)")
        }
    }
}

/// The status table `projections status` prints.
enum ProjectionStatusTable {
    static func render(_ statuses: [ProjectionStatus], definitions: [ProjectionDefinition], partitions: Bool) -> String {
        var lines = [["projection", "version", "state", "lag", "last event", "applied", "parked"]]
        let formatter = ISO8601DateFormatter()
        for definition in definitions {
            let mine = statuses.filter { $0.projection == definition.name }
            if mine.isEmpty { lines.append([definition.name, "-", "not started", "-", "-", "-", "-"]) }
            for status in mine {
                lines.append([
                    status.projection, "\(status.version)", status.state.rawValue + (status.stale ? " (definition changed)" : ""),
                    "\(status.lag)", status.lastEventTime.map(formatter.string(from:)) ?? "-", "\(status.applied)", "\(status.parked)",
                ])
                if partitions {
                    for partition in status.partitions {
                        lines.append(["  \(partition.topic)[\(partition.partition)]", "", "", "\(partition.lag)",
                                      "next \(partition.nextOffset) of \(partition.highWatermark)", "", ""])
                    }
                }
            }
        }
        let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// A count shared with the closures that report progress.
final class Tally: Sendable {
    private let count = Atomic<Int>(0)

    /// Adds `n` and returns the new total.
    func add(_ n: Int) -> Int { count.wrappingAdd(n, ordering: .relaxed).newValue }

    var value: Int { count.load(ordering: .relaxed) }
}
