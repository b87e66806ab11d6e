import Domain
import Foundation
import Logging
import PostgresNIO
import Store

/// `onewindow erase --person ID`: crypto-shreds one person without building the whole
/// pipeline. First the fact goes into their stream (`onewindow.person.erased.v1`, relayed
/// like any event, so every read model drops the personal values it holds), then their data
/// key and blind-index entries go, so every sealed field of theirs, in the store and on the
/// canonical topics, becomes unreadable. Running it again is harmless.
public enum PersonErasure {
    public static let eventType = "onewindow.person.erased.v1"
    static let source = "/onewindow/erasure"

    /// True when the person had a key to delete.
    @discardableResult
    public static func erase(person: UUID, client: PostgresClient, store: StoreConfiguration, logger: Logger) async throws(IntakeError) -> Bool {
        let keys = PersonKeyStore(client: client, configuration: store, logger: logger)
        do {
            guard try await keys.wrappedKey(of: person) != nil else { return false }
            let id = person.lowercasedString
            let event = NewEvent(
                id: "erased-\(id)", source: source, type: eventType, time: Date(), actor: "onewindow", region: nil,
                data: Data("{}".utf8), metadata: Data(#"{"personid":"\#(id)"}"#.utf8), topic: IntakeTopics(prefix: "onewindow").person)
            _ = try await EventStore(client: client, configuration: store, logger: logger)
                .appendBatch([BatchedEvent(stream: id, event: event)])
            return try await keys.erase(person: person)
        } catch {
            throw .storeUnavailable(error)
        }
    }
}
