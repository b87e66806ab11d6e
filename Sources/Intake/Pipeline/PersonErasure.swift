import Foundation
import Logging
import PostgresNIO
import Store

/// `onewindow erase --person ID`: crypto-shreds one person without building the whole
/// pipeline. Their data key and blind-index entries go; every sealed field of theirs, in the
/// store and on the canonical topics, becomes unreadable.
public enum PersonErasure {
    /// True when the person had a key to delete.
    @discardableResult
    public static func erase(person: UUID, client: PostgresClient, store: StoreConfiguration, logger: Logger) async throws(IntakeError) -> Bool {
        do {
            return try await PersonKeyStore(client: client, configuration: store, logger: logger).erase(person: person)
        } catch {
            throw .storeUnavailable(error)
        }
    }
}
