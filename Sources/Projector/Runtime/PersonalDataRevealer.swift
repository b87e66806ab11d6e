import Crypto
import Domain
import Foundation
import Intake
import Logging
import Store
import Synchronization

/// Decrypts the personal fields of events for the views that declare personal columns.
/// A person whose key is gone (erased) gets their personal fields as JSON null, never the
/// sealed text. Keys are cached for a minute, and dropped at once when the person's erasure
/// event passes, so a rebuild after an erasure cannot bring a name back.
final class PersonalDataRevealer: Sendable {
    static let erasedType = "onewindow.person.erased.v1"

    private let keys: PersonKeyStore
    private let protection: DataProtection
    private let cache = Mutex<[UUID: (key: SymmetricKey, fetched: ContinuousClock.Instant)]>([:])
    private let maximumAge: Duration = .seconds(60)
    private let maximumEntries = 200_000

    init(keys: PersonKeyStore, protection: DataProtection) {
        self.keys = keys
        self.protection = protection
    }

    /// Fills `revealed` for each person-topic event of `events`: the subject's strings opened
    /// with their key, a household member's or beneficiary's with theirs (the object that held
    /// them gains `personid`); a string whose key is gone becomes null.
    func reveal(_ events: inout [BatchEvent]) async throws(StoreError) {
        var parsed: [Int: (person: UUID?, data: JSONValue, holders: Set<UUID>)] = [:]
        var wanted: Set<UUID> = []
        for (index, event) in events.enumerated() where event.canonical == "person" {
            guard case .object(let envelope)? = try? JSONValue.parse(Array(event.value.utf8)) else { continue }
            let person = envelope["personid"]?.stringValue.flatMap(UUID.init(uuidString:)) ?? UUID(uuidString: event.subject)
            if let person {
                if event.type == Self.erasedType || envelope["type"]?.stringValue == Self.erasedType {
                    _ = cache.withLock { $0.removeValue(forKey: person) }
                }
                wanted.insert(person)
            }
            guard let data = envelope["data"] else { continue }
            let holders = PersonalFields.holders(in: data)
            wanted.formUnion(holders)
            parsed[index] = (person, data, holders)
        }
        guard !parsed.isEmpty else { return }
        let found = try await keysFor(wanted)
        for (index, entry) in parsed {
            var others: [UUID: SymmetricKey] = [:]
            for holder in entry.holders { others[holder] = found[holder] }
            let revealed: JSONValue
            if let open = try? PersonalFields.reveal(entry.data, with: entry.person.flatMap { found[$0] }, others: others) {
                revealed = open
            } else {
                revealed = Self.redacted(entry.data)
            }
            events[index].revealed = String(decoding: revealed.encoded(), as: UTF8.self)
        }
    }

    private func keysFor(_ people: Set<UUID>) async throws(StoreError) -> [UUID: SymmetricKey] {
        let now = ContinuousClock.now
        var result: [UUID: SymmetricKey] = [:]
        var missing: [UUID] = []
        cache.withLock { cache in
            for person in people {
                if let entry = cache[person], now - entry.fetched < maximumAge { result[person] = entry.key } else { missing.append(person) }
            }
        }
        guard !missing.isEmpty else { return result }
        let wrapped = try await keys.wrappedKeys(of: missing)
        var fetched: [UUID: SymmetricKey] = [:]
        let wrapper = protection.keyWrapper()
        for (person, data) in wrapped {
            if let key = try? wrapper.unwrap(data, for: person) { fetched[person] = key }
        }
        cache.withLock { cache in
            if cache.count + fetched.count > maximumEntries { cache.removeAll(keepingCapacity: true) }
            for (person, key) in fetched { cache[person] = (key, now) }
        }
        result.merge(fetched) { $1 }
        return result
    }

    /// `data` with every sealed string replaced by null.
    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.hasPrefix("enc:v1:"): .null
        case .object(let members): .object(members.mapValues(redacted))
        case .array(let items): .array(items.map(redacted))
        default: value
        }
    }
}
