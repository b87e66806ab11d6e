import Domain
import Foundation
import Logging
import PostgresNIO
import Store

/// `onewindow erase --person ID`: crypto-shreds one person without building the whole
/// pipeline. First their data key and blind-index entries go, so every sealed field of theirs,
/// in the store and on the canonical topics (also in other people's events that name them as a
/// household member or beneficiary), becomes unreadable. Then the fact goes into their stream
/// (`onewindow.person.erased.v1`, relayed like any event, so every read model drops the
/// personal values it holds). In that order, no reader can open one of their strings once the
/// event is out, so a view that has taken the event never meets their name again. Running it
/// again is harmless, and finishes a run that stopped between the two steps (the event's id is
/// fixed, so it is appended once).
public enum PersonErasure {
    public static let eventType = "onewindow.person.erased.v1"
    static let source = "/onewindow/erasure"

    /// True when the person had a key to delete.
    @discardableResult
    public static func erase(person: UUID, client: PostgresClient, store: StoreConfiguration, logger: Logger) async throws(IntakeError) -> Bool {
        let keys = PersonKeyStore(client: client, configuration: store, logger: logger)
        let events = EventStore(client: client, configuration: store, logger: logger)
        let id = person.lowercasedString
        do {
            let deleted = try await keys.erase(person: person)
            if !deleted, try await events.currentVersion(of: id) == 0 { return false }
            let event = NewEvent(
                id: "erased-\(id)", source: source, type: eventType, time: Date(), actor: "onewindow", region: nil,
                data: Data("{}".utf8), metadata: Data(#"{"personid":"\#(id)"}"#.utf8), topic: IntakeTopics(prefix: "onewindow").person)
            _ = try await events.appendBatch([BatchedEvent(stream: id, event: event)])
            return deleted
        } catch {
            throw .storeUnavailable(error)
        }
    }
}
