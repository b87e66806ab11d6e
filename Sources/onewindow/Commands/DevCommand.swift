import API
import ArgumentParser
import Foundation
import Intake
import Logging
import Projector
import Store
import ServiceLifecycle

/// `onewindow dev`: every service in one process against the configured local stack.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run every service in one process against the local stack (migrates and creates topics first).")

    @Option(help: "HTTP port (default: ONEWINDOW_HTTP_PORT or 8080).") var port: Int?
    @Flag(help: "Also publish a synthetic city's department traffic to the ingest topic (what `simulate` sends).") var demo = false
    @Option(help: "With --demo: how many people.") var demoPeople = 2_000
    @Option(help: "With --demo: the span of days their events are dated over, ending now.") var demoDays = 30
    @Option(help: "With --demo: events per second.") var demoRate = 50.0

    func validate() throws {
        if let problem = DepartmentTraffic.problem(people: demoPeople, days: demoDays, rate: demoRate, optionPrefix: "demo-") {
            throw ValidationError(problem)
        }
    }

    func run() async throws {
        let environment = try configured { () throws(ConfigurationError) in try OneWindowEnvironment.load() }
        let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
        let organizations = try configured { () throws(ConfigurationError) in try loadOrganizations() }
        let projections = try configured { () throws(ConfigurationError) in try loadProjections() }
        let logger = Logger(label: "onewindow")
        let parts = ServiceAssembly(environment: environment, logger: logger)
        try await withPostgres(environment, logger: logger) { client in
            _ = try await Migrator(client: client, logger: logger).migrate(OneWindowSchemas.all(readModels: environment.readModels))
        }
        try await parts.ensureTopics()

        let producer = try parts.producer()
        let pipeline = try parts.intakePipeline(secrets, organizations: organizations)
        let intake = IntakeRoutes(pipeline: pipeline, tokens: try await TokenAuthority(secret: secrets.tokenSecret))
        logger.info("onewindow dev starting", metadata: ["host": "\(environment.httpHost)", "port": "\(port ?? environment.httpPort)"])
        let traffic = DepartmentTraffic(people: demoPeople, days: demoDays, rate: demoRate, label: "demo")
        try await parts.run([
            producer,
            parts.relay(producer: producer),
            try parts.ingestConsumer(pipeline: pipeline, producer: producer),
            try parts.http(port: port, intake: intake),
            try parts.projector(projections.definitions, secrets: secrets),
        ], finite: demo ? [DemoCity(traffic: traffic, producer: try parts.producer(),
                                    topic: IntakeTopics(prefix: environment.topicPrefix).ingest, logger: logger)] : [])
    }
}

/// Loads one configuration value or prints the one line that names the bad variable and exits 2.
func configured<T>(_ load: () throws(ConfigurationError) -> T) throws -> T {
    do { return try load() } catch {
        FileHandle.standardError.write(Data("onewindow: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// Loads the environment or exits 2 naming the bad variable.
func loadEnvironmentOrExit() throws -> OneWindowEnvironment {
    try configured { () throws(ConfigurationError) in try OneWindowEnvironment.load() }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String { "timed out" }
}

/// Runs `operation`, giving up with `TimedOut` after `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask { try await Task.sleep(for: limit); throw TimedOut() }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
