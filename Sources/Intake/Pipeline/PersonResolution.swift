import Crypto
import Domain
import Foundation
import Logging
import Store

/// A resolved person with their data key in memory, ready to encrypt with.
package struct KeyedPerson: Sendable {
    let id: UUID
    let key: SymmetricKey
    /// Created by this batch from an event that is not a registration.
    let unregistered: Bool
    /// Created by this batch: the person's stream has no events yet (a hint to the append).
    let created: Bool

    package init(id: UUID, key: SymmetricKey, unregistered: Bool, created: Bool = false) {
        (self.id, self.key, self.unregistered, self.created) = (id, key, unregistered, created)
    }
}

/// Resolves every identity of a batch to a person and their data key. The common case (every
/// person known) costs one statement: blind index → person id and wrapped key. Unknown
/// identities are then created (id and wrapped key together) with one `resolvePeople` call,
/// which also settles races with concurrent intakes. Keys are unwrapped in memory.
struct PersonResolution: Sendable {
    let keys: PersonKeyStore
    let protection: DataProtection
    let logger: Logger

    /// People by blind hash for the given events. A hash whose key vanished in between (an
    /// erase racing the batch) is missing from the answer.
    /// - Parameters:
    ///   - registrations: for each hash, whether its event is a registration.
    func resolve(_ hashes: [BlindHash?], registrations: [Bool]) async throws -> [BlindHash: KeyedPerson] {
        var registeredInBatch = Set<BlindHash>()
        for (hash, registration) in zip(hashes, registrations) where registration {
            if let hash { registeredInBatch.insert(hash) }
        }
        let wanted = Array(Set(hashes.compactMap { $0 }))
        var people: [BlindHash: KeyedPerson] = [:]
        let wrapper = protection.keyWrapper()
        for (hash, person) in try await keys.knownPeople(wanted) {
            people[hash] = KeyedPerson(id: person.id, key: try wrapper.unwrap(person.wrappedKey, for: person.id), unregistered: false)
        }
        let missing = wanted.filter { people[$0] == nil }
        guard !missing.isEmpty else { return people }
        var fresh: [BlindHash: (NewPerson, SymmetricKey)] = [:]
        for hash in missing {
            let id = RandomPool.shared.uuid()
            let key = protection.newPersonKey()
            fresh[hash] = (NewPerson(id: id, wrappedKey: try wrapper.wrap(key, for: id)), key)
        }
        let resolved = try await keys.resolvePeople(fresh.mapValues { $0.0 })
        // Created by a concurrent intake between the two statements: read their keys.
        let raced = try await keys.wrappedKeys(of: resolved.values.filter { !$0.created }.map(\.id))
        for (hash, person) in resolved {
            if person.created, let entry = fresh[hash] {
                people[hash] = KeyedPerson(id: person.id, key: entry.1, unregistered: !registeredInBatch.contains(hash), created: true)
            } else if let wrapped = raced[person.id] {
                people[hash] = KeyedPerson(id: person.id, key: try wrapper.unwrap(wrapped, for: person.id), unregistered: false)
            }
        }
        return people
    }
}
