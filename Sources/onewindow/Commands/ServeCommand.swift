import API
import ArgumentParser
import Foundation
import Intake
import Kafka
import Logging
import Projector
import ServiceLifecycle

/// `onewindow serve <service>`: one service per process (production), scaled by consumer
/// groups and partitions.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run one service.")

    enum Name: String, ExpressibleByArgument, CaseIterable {
        /// HTTP API (with the HTTP intake door).
        case api
        /// Both intake doors: HTTP and the Kafka ingest topic.
        case intake
        /// The outbox relay to the canonical topics.
        case relay
        /// One department's read models (`--department`).
        case projector
    }

    @Argument(help: "The service: \(Name.allCases.map(\.rawValue).joined(separator: ", ")).") var service: Name
    @Option(help: "HTTP port (default: ONEWINDOW_HTTP_PORT or 8080).") var port: Int?
    @Option(help: "With projector: the department whose read models to keep (police, health, …).") var department: String?

    func validate() throws {
        if service == .projector, department == nil { throw ValidationError("serve projector needs --department (e.g. --department police)") }
        if service != .projector, department != nil { throw ValidationError("--department is only for serve projector") }
    }

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let logger = Logger(label: "onewindow.\(service.rawValue)")
        let parts = ServiceAssembly(environment: environment, logger: logger)
        switch service {
        case .relay:
            let producer = try parts.producer()
            try await parts.run([producer, parts.relay(producer: producer)])
        case .projector:
            let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
            let catalog = try configured { () throws(ConfigurationError) in try loadProjections() }
            let definitions = catalog.definitions(ofDepartment: department ?? "")
            guard !definitions.isEmpty else {
                FileHandle.standardError.write(Data("onewindow: --department \(department ?? ""): no such department (have: \(catalog.departments.joined(separator: ", ")))\n".utf8))
                throw ExitCode(2)
            }
            try await parts.run([try parts.projector(definitions, secrets: secrets)])
        case .api, .intake:
            let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
            let organizations = try configured { () throws(ConfigurationError) in try loadOrganizations() }
            let pipeline = try parts.intakePipeline(secrets, organizations: organizations)
            let routes = IntakeRoutes(pipeline: pipeline, tokens: try await TokenAuthority(secret: secrets.tokenSecret))
            var services: [any Service] = [try parts.http(port: port, intake: routes)]
            if service == .intake {
                let producer = try parts.producer()
                services += [producer, try parts.ingestConsumer(pipeline: pipeline, producer: producer)]
            }
            try await parts.run(services)
        }
    }
}
