import Crypto
import Domain
import Foundation
import Logging
import Store

/// A resolved person with their data key in memory, ready to encrypt with.
struct KeyedPerson: Sendable {
    let id: UUID
    let key: SymmetricKey
    /// Created by this batch from an event that is not a registration.
    let unregistered: Bool
}

/// Resolves every identity of a batch to a person and their data key: blind-index every
/// identity, create the unknown ones (id and wrapped key together) in one store call, read the
/// known ones' wrapped keys in one statement, unwrap in memory.
struct PersonResolution: Sendable {
    let keys: PersonKeyStore
    let reader: PersonKeyReader
    let protection: DataProtection
    let logger: Logger

    /// People by blind hash for the given envelopes. A hash whose key vanished in between (an
    /// erase racing the batch) is missing from the answer.
    func resolve(_ envelopes: [EventEnvelope]) async throws -> [Data: KeyedPerson] {
        var registeredInBatch = Set<Data>()
        var fresh: [Data: (NewPerson, SymmetricKey)] = [:]
        for envelope in envelopes {
            guard let identity = envelope.event.identity else { continue }
            let hash = protection.blindIndex(of: identity)
            if envelope.type == .residentRegistered { registeredInBatch.insert(hash) }
            guard fresh[hash] == nil else { continue }
            let id = UUID()
            let key = protection.newPersonKey()
            fresh[hash] = (NewPerson(id: id, wrappedKey: try protection.wrap(key, for: id)), key)
        }
        let resolved = try await keys.resolvePeople(fresh.mapValues { $0.0 })
        let known = resolved.values.filter { !$0.created }.map(\.id)
        let wrapped = try await reader.wrappedKeys(of: known)
        var people: [Data: KeyedPerson] = [:]
        for (hash, person) in resolved {
            if person.created, let entry = fresh[hash] {
                people[hash] = KeyedPerson(id: person.id, key: entry.1, unregistered: !registeredInBatch.contains(hash))
            } else if let data = wrapped[person.id] {
                people[hash] = KeyedPerson(id: person.id, key: try protection.unwrap(data, for: person.id), unregistered: false)
            }
        }
        return people
    }
}
