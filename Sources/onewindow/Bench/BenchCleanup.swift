import Intake
import Kafka
import Logging
import PostgresNIO
import Relay

/// What a benchmark run created, removed at its end (also when it failed): every schema whose
/// name starts with `bench_<suffix>` (store, read models, projection versions) and the topics
/// of its prefixes (canonical, ingest, rejected).
enum BenchCleanup {
    static func run(suffix: String, topicPrefixes: [String], environment: OneWindowEnvironment, logger: Logger) async throws {
        try await withPostgres(environment, logger: logger) { client in
            let rows = try await client.query(PostgresQuery(unsafeSQL:
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_\(suffix)%'"))
            var schemas: [String] = []
            for try await name in rows.decode(String.self) { schemas.append(name) }
            for schema in schemas {
                _ = try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
            }
        }
        let admin = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrapServers: environment.kafkaBrokers), logger: logger)
        for prefix in topicPrefixes {
            let intake = IntakeTopics(prefix: prefix)
            for topic in CanonicalTopic.allCases.map({ TopicNaming(prefix: prefix).name(of: $0) }) + [intake.ingest, intake.rejected] {
                do {
                    try await admin.deleteTopic(topic)
                } catch {
                    logger.warning("bench topic not deleted", metadata: ["topic": "\(topic)", "error": "\(error)"])
                }
            }
        }
    }
}
