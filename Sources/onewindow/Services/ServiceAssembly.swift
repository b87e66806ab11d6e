import API
import Foundation
import UnixSignals
import Hummingbird
import Intake
import Kafka
import Logging
import PostgresNIO
import Projector
import Relay
import ServiceLifecycle
import Store
import Yams

/// Builds OneWindow's long-running parts from configuration; `dev` runs them all, `serve`
/// one. Every part is a `Service`; the caller puts them in one `ServiceGroup`.
struct ServiceAssembly {
    let environment: OneWindowEnvironment
    let logger: Logger
    let postgres: PostgresClient
    let store: StoreConfiguration

    /// `store` defaults to the default schema; `bench intake` passes a fresh one per run.
    init(environment: OneWindowEnvironment, logger: Logger, store: StoreConfiguration = StoreConfiguration()) {
        self.environment = environment
        self.logger = logger
        self.store = store
        postgres = PostgresClient(configuration: environment.databaseURL.clientConfiguration(), backgroundLogger: logger)
    }

    var kafkaClient: KafkaClientConfiguration { KafkaClientConfiguration(bootstrapServers: environment.kafkaBrokers) }

    func admin() throws -> KafkaAdmin { try KafkaAdmin(configuration: kafkaClient, logger: logger) }

    func producer() throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(client: kafkaClient), logger: logger)
    }

    /// `/health/ready` checks: PostgreSQL and the broker, each within 2 s.
    func readiness() throws -> [ReadinessCheck] {
        let postgres = self.postgres
        let kafka = try admin()
        return [
            ReadinessCheck(name: "postgres") { _ = try await withTimeout(.seconds(2)) { try await postgres.query("SELECT 1") } },
            ReadinessCheck(name: "kafka") { _ = try await kafka.brokerCount(timeout: .seconds(2)) },
        ]
    }

    /// Creates the ingest, rejected and canonical topics that do not exist yet.
    func ensureTopics() async throws {
        let admin = try admin()
        let intakeTopics = IntakeTopics(prefix: environment.topicPrefix)
        try await admin.createTopic(intakeTopics.ingest, partitions: 6)
        try await admin.createTopic(intakeTopics.rejected, partitions: 3)
        try await CanonicalTopics.ensure(admin: admin, naming: TopicNaming(prefix: environment.topicPrefix))
    }

    func intakePipeline(_ secrets: Secrets, organizations: OrganizationDirectory) throws -> IntakePipeline {
        IntakePipeline(client: postgres, store: store, protection: try DataProtection(masterKey: secrets.dataKey),
                       organizations: organizations, topics: IntakeTopics(prefix: environment.topicPrefix), logger: logger)
    }

    /// The Kafka door: a consumer group on the ingest topic feeding the pipeline. `consumer`:
    /// one made by ``ingestKafkaConsumer()`` that the caller keeps an eye on (the bench watches
    /// its assignment); by default a new one.
    func ingestConsumer(pipeline: IntakePipeline, producer: KafkaProducer, consumer: KafkaConsumer? = nil) throws -> IngestConsumer {
        IngestConsumer(consumer: try consumer ?? ingestKafkaConsumer(), producer: producer, pipeline: pipeline,
                       topics: IntakeTopics(prefix: environment.topicPrefix), logger: logger)
    }

    /// The Kafka door's consumer-group member on the ingest topic (the door owns and closes it).
    func ingestKafkaConsumer() throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(client: kafkaClient, groupID: "\(environment.topicPrefix).intake")
        // As for projectors: a short broker wait, since some brokers (tansu) answer a fetch only
        // when the wait ends, which would add it to every event's way in.
        configuration.fetchWaitMaxMilliseconds = 10
        return try KafkaConsumer(configuration: configuration, topics: [IntakeTopics(prefix: environment.topicPrefix).ingest],
                                 logger: logger)
    }

    func relay(producer: KafkaProducer) -> OutboxRelay {
        OutboxRelay(outbox: Outbox(client: postgres, configuration: store, logger: logger), producer: producer,
                    configuration: RelayConfiguration(topics: TopicNaming(prefix: environment.topicPrefix)), logger: logger)
    }

    func http(port: Int?, intake: IntakeRoutes?) throws -> some Service {
        buildApplication(APIConfiguration(host: environment.httpHost, port: port ?? environment.httpPort,
                                          readiness: try readiness(), intake: intake), logger: logger)
    }

    func projectorSettings() -> ProjectorSettings {
        ProjectorSettings(kafka: kafkaClient, naming: TopicNaming(prefix: environment.topicPrefix), store: store)
    }

    /// The projector for `definitions` (one department's, or all of them in `dev`).
    func projector(_ definitions: [ProjectionDefinition], secrets: Secrets) throws -> ProjectorService {
        ProjectorService(definitions: definitions, client: postgres, namespace: environment.readModels,
                         protection: try DataProtection(masterKey: secrets.dataKey), settings: projectorSettings(), logger: logger)
    }

    /// How long stopping may take. A graceful shutdown (SIGINT, SIGTERM) that has not finished
    /// within `graceful` becomes cancellation; a cancellation not finished within `cancellation`
    /// ends the process with a fatal error (each service logs when it stopped, so the log says
    /// which one had not). Graceful covers the relay's batch in flight and the producer's flush
    /// (up to 30 s each); an operator's Ctrl-C never leaves a process that will not exit.
    struct ShutdownLimits {
        var graceful: Duration = .seconds(45)
        var cancellation: Duration = .seconds(15)
    }

    /// Runs `services` with graceful shutdown on SIGINT/SIGTERM, inside the PostgreSQL pool's
    /// lifetime: the pool starts before them and stops after them (within
    /// `limits.cancellation`, or the process ends with a fatal error saying so).
    /// `finite` services may end (or fail, having said why) without stopping the others.
    func run(_ services: [any Service], finite: [any Service] = [], limits: ShutdownLimits = ShutdownLimits()) async throws {
        let group = ServiceGroup(configuration: groupConfiguration(services, finite: finite, limits: limits))
        try await running(postgres, closeWithin: limits.cancellation) { try await group.run() }
    }

    /// The group ``run(_:finite:limits:)`` runs: `services` in order (graceful shutdown goes
    /// in reverse), then `finite`, with `limits` on how long stopping may take.
    func groupConfiguration(_ services: [any Service], finite: [any Service] = [],
                            limits: ShutdownLimits = ShutdownLimits()) -> ServiceGroupConfiguration {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }
                + finite.map { .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = limits.graceful
        configuration.maximumCancellationDuration = limits.cancellation
        return configuration
    }
}

/// Reads `ONEWINDOW_ORGANIZATIONS_FILE` into the directory of who may publish what.
func loadOrganizations(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> OrganizationDirectory {
    let variable = "ONEWINDOW_ORGANIZATIONS_FILE"
    guard let path = env[variable], !path.isEmpty else {
        throw ConfigurationError(variable: variable, reason: "is not set (the default is ops/config/organizations.yaml)")
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw ConfigurationError(variable: variable, reason: "names \(path), which cannot be read")
    }
    do {
        return try OrganizationDirectory(file: try YAMLDecoder().decode(OrganizationsFile.self, from: text))
    } catch let error as OrganizationsFileError {
        throw ConfigurationError(variable: variable, reason: "(\(path)): \(error)")
    } catch {
        throw ConfigurationError(variable: variable, reason: "(\(path)) is not a valid organizations file: \(error)")
    }
}

/// Reads the read-model definitions from `ONEWINDOW_PROJECTIONS_DIR` (default `Projections`).
func loadProjections(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> ProjectionCatalog {
    let variable = "ONEWINDOW_PROJECTIONS_DIR"
    let path = env[variable].flatMap { $0.isEmpty ? nil : $0 } ?? "Projections"
    do {
        return try ProjectionCatalog.load(root: URL(fileURLWithPath: path))
    } catch {
        throw ConfigurationError(variable: variable, reason: "\(error)")
    }
}
