import API
import ArgumentParser
import Foundation
import Hummingbird
import Kafka
import Logging
import PostgresNIO
import ServiceLifecycle
import UnixSignals

/// `onewindow dev`: every service in one process against the configured local stack.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run every service in one process against the local stack.")

    @Option(help: "HTTP port (default: ONEWINDOW_HTTP_PORT or 8080).") var port: Int?
    @Flag(help: "Publish a demo city's traffic (arrives with the simulator).") var demo = false

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let logger = Logger(label: "onewindow")
        let postgres = PostgresClient(configuration: environment.databaseURL.clientConfiguration, backgroundLogger: logger)
        let kafka = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrapServers: environment.kafkaBrokers), logger: logger)
        let readiness = [
            ReadinessCheck(name: "postgres") { _ = try await withTimeout(.seconds(2)) { try await postgres.query("SELECT 1") } },
            ReadinessCheck(name: "kafka") { _ = try await kafka.brokerCount(timeout: .seconds(2)) },
        ]
        let app = buildApplication(
            APIConfiguration(host: environment.httpHost, port: port ?? environment.httpPort, readiness: readiness),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: postgres), .init(service: app)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("onewindow dev listening", metadata: ["host": "\(environment.httpHost)", "port": "\(port ?? environment.httpPort)"])
        try await group.run()
    }
}

extension DatabaseURL {
    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}

/// Loads the environment or prints the one line that names the bad variable and exits 2.
func loadEnvironmentOrExit() throws -> OneWindowEnvironment {
    do { return try OneWindowEnvironment.load() } catch {
        FileHandle.standardError.write(Data("onewindow: \(error)\n".utf8))
        throw ExitCode(2)
    }
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
