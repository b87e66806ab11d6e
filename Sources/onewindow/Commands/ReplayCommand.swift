import ArgumentParser
import Kafka
import Logging
import Relay
import Store

/// `onewindow replay`: re-publish the store to the canonical topics (a new or lost cluster).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Re-publish every stored event to the canonical topics (for a new or lost Kafka cluster).")

    @Option(help: "Start after this store position.") var after: Int64 = 0

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let logger = Logger(label: "onewindow.replay")
        let parts = ServiceAssembly(environment: environment, logger: logger)
        try await parts.ensureTopics()
        let producer = try parts.producer()
        let report = try await withPostgres(environment, logger: logger) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await producer.run() }
                defer { group.cancelAll() }
                let replayer = Replayer(outbox: Outbox(client: client, configuration: StoreConfiguration(), logger: logger),
                                        producer: producer, topics: TopicNaming(prefix: environment.topicPrefix), logger: logger)
                return try await replayer.replay(after: after)
            }
        }
        print("replay: \(report)")
    }
}
