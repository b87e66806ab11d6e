import ArgumentParser

/// `onewindow bench …`: benchmarks with a same-run baseline.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks, each beside a baseline measured in the same run.",
        subcommands: [KafkaBenchCommand.self, IntakeBenchCommand.self])
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
