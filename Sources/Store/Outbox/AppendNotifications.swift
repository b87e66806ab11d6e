import Logging
import PostgresNIO

/// Tells a reader that events were appended to this store: PostgreSQL's `NOTIFY` from the
/// events table's statement trigger (migration 7), sent when the appending transaction commits.
///
/// Holds one connection of the pool while it runs. A lost connection is listened again after
/// a pause (1 s, doubling to 30 s while it keeps failing); meanwhile, and for any notification lost with a connection, the reader's own
/// polling is the safety net (it must keep one: this only shortens its waits).
public struct AppendNotifications: Sendable {
    /// The channel every store notifies on; the payload is the store's schema.
    static let channel = "onewindow_appended"

    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public init(client: PostgresClient, configuration: StoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Listens until the task is cancelled: `listening` once each time listening (re)starts —
    /// anything appended before then was missed, so the reader should look — and `appended`
    /// once per committed append to this store.
    public func run(listening: @Sendable () -> Void, appended: @Sendable () -> Void) async {
        let schema = configuration.schema.rawValue
        var pause = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        pause = .seconds(1)
                        listening()
                        for try await notification in notifications where notification.payload == schema {
                            appended()
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("not listening for appends; retrying", metadata: ["error": "\(error)", "retryIn": "\(pause)"])
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(30))
        }
    }
}
