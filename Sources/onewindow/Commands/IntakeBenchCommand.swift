import ArgumentParser
import Logging

/// `onewindow bench intake`: validated, stored and relayed events/s (HTTP batches; Kafka
/// ingest) beside single-row INSERTs of the same events, in one run.
struct IntakeBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Events/s from HTTP batches and from the ingest topic until published on the canonical topics, beside single-row INSERTs.")

    @Option(help: "Events per figure (HTTP, Kafka ingest and the baseline each get this many).") var events = 50_000
    @Option(help: "Concurrent HTTP connections.") var connections = 4
    @Option(help: "Rounds, each in a fresh schema with its own baseline; more than one adds a table of medians.") var rounds = 1
    @Option(help: "Events stored and relayed before the figures (untimed), then the store analyzed: the figures meet a store of that size with statistics, as in service.")
    var prefill = 0
    @Flag(help: "Only time the in-memory steps (parse, validate, index, seal, relay record) on one thread; needs no PostgreSQL or broker.")
    var stepsOnly = false

    func validate() throws {
        guard events > 0 else { throw ValidationError("--events must be at least 1") }
        guard connections > 0 else { throw ValidationError("--connections must be at least 1") }
        guard rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
        guard prefill >= 0 else { throw ValidationError("--prefill cannot be negative") }
    }

    func run() async throws {
        let sample = IntakeBenchEvents.make(count: min(events, 20_000), label: "steps", firstPerson: 2_000_000)
        let steps = IntakeStages.table(try IntakeStages.measure(sample), events: sample.count)
        if stepsOnly { return print(steps) }
        let environment = try loadEnvironmentOrExit()
        let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
        let organizations = try configured { () throws(ConfigurationError) in try loadOrganizations() }
        var logger = Logger(label: "bench.intake")
        logger.logLevel = .warning
        var bench = IntakeBenchmark(environment: environment, secrets: secrets, organizations: organizations,
                                    events: events, connections: connections, logger: logger)
        bench.prefill = prefill
        var results: [IntakeBenchmark.Round] = []
        for round in 1...rounds {
            if rounds > 1 { print("round \(round) of \(rounds)") }
            let result = try await bench.run()
            print(IntakeBenchmark.table(result.rows, baseline: result.baseline, events: events, peakRSSKiB: result.peakRSSKiB))
            results.append(result)
        }
        if rounds > 1 { print(IntakeBenchmark.summary(results, events: events)) }
        print(steps)
    }
}
