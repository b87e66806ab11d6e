import ArgumentParser
import Logging
import Projector

/// `onewindow bench …`: benchmarks with a same-run baseline.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks, each beside a baseline measured in the same run.",
        subcommands: [KafkaBenchCommand.self, IntakeBenchCommand.self, RebuildBenchCommand.self, LatencyBenchCommand.self])
}

struct KafkaBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Produce and consume through the Swift wrapper and through librdkafka's rdkafka_performance, same broker.")

    @Option(help: "Messages per run.") var messages = 300_000
    @Option(help: "Message sizes in bytes, comma-separated.") var sizes = "100,1024"
    @Option(help: "Rounds per size; the table shows medians.") var rounds = 3
    @Option(help: "Path of librdkafka's rdkafka_performance tool.") var cTool = "/usr/local/bin/rdkafka_performance"

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let parsedSizes = sizes.split(separator: ",").compactMap { Int($0) }
        guard !parsedSizes.isEmpty, parsedSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--sizes must be positive byte counts, e.g. 100,1024")
        }
        let bench = KafkaBenchmark(brokers: environment.kafkaBrokers, messages: messages, cTool: cTool)
        var rows: [KafkaBenchmark.Row] = []
        for size in parsedSizes {
            rows += try await bench.measure(size: size, rounds: max(1, rounds))
        }
        print(KafkaBenchmark.table(rows, messages: messages, rounds: rounds))
    }
}

struct RebuildBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Events/s into every read model from pre-filled canonical topics, beside a projector applying one event per transaction.")

    @Option(help: "Synthetic events on the canonical topics (whole chunks of 2,000 people, so a few more).") var events = 1_000_000
    @Option(help: "Events for the one-event-per-transaction baseline (the first chunks of the same city).") var baselineEvents = 20_000
    @Option(help: "Records per batch (and transaction) of the batched projector.") var batchSize = 5_000

    func run() async throws {
        guard events > 0, baselineEvents > 0, batchSize > 0 else {
            throw ValidationError("--events, --baseline-events and --batch-size must be positive")
        }
        let environment = try loadEnvironmentOrExit()
        let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
        let catalog = try configured { () throws(ConfigurationError) in try loadProjections() }
        var logger = Logger(label: "bench.rebuild")
        logger.logLevel = .warning
        let bench = RebuildBenchmark(environment: environment, secrets: secrets, definitions: catalog.definitions, events: events,
                                     baselineEvents: baselineEvents, batchSize: batchSize, logger: logger)
        let result = try await bench.run()
        print(RebuildBenchmark.table(result, definitions: catalog.definitions.count))
    }
}

struct LatencyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Accepted → visible in police.residents, p50/p99, at a steady offered rate.")

    @Option(help: "Events per second offered (registrations of new people).") var rate = 1_000
    @Option(help: "Seconds to send for.") var seconds = 30
    @Option(help: "Events per ingest call (as a department system batching its sends).") var batch = 10

    func run() async throws {
        guard rate > 0, seconds > 0, batch > 0 else { throw ValidationError("--rate, --seconds and --batch must be positive") }
        let environment = try loadEnvironmentOrExit()
        let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
        let organizations = try configured { () throws(ConfigurationError) in try loadOrganizations() }
        let catalog = try configured { () throws(ConfigurationError) in try loadProjections() }
        var logger = Logger(label: "bench.latency")
        logger.logLevel = .warning
        let bench = LatencyBenchmark(environment: environment, secrets: secrets, organizations: organizations,
                                     definitions: catalog.definitions, rate: rate, seconds: seconds, batch: batch, logger: logger)
        print(LatencyBenchmark.table(try await bench.run(), rate: rate, seconds: seconds, batch: batch))
    }
}
