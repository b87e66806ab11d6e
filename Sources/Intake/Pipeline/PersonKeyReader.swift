import Foundation
import Logging
import PostgresNIO
import Store

/// Reads the wrapped data keys of many people in one statement (the intake resolves a whole
/// batch at once; `PersonKeyStore.wrappedKey(of:)` answers one person per round trip).
/// Belongs in `Store` beside `PersonKeyStore`; kept here until that target grows a batch read.
struct PersonKeyReader: Sendable {
    let client: PostgresClient
    let schema: SchemaName
    let logger: Logger

    /// The people already indexed under `hashes`, with their wrapped keys (one statement).
    func known(_ hashes: [Data]) async throws -> [Data: (id: UUID, wrappedKey: Data)] {
        guard !hashes.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT x.blind_hash, x.person_id, k.wrapped_key
            FROM \(unescaped: schema.rawValue).identity_index x
            JOIN \(unescaped: schema.rawValue).person_keys k ON k.person_id = x.person_id
            WHERE x.blind_hash = ANY(\(hashes.map { ByteBuffer(bytes: $0) })::bytea[])
            """, logger: logger)
        var people: [Data: (id: UUID, wrappedKey: Data)] = [:]
        for try await (hash, id, key) in rows.decode((Data, UUID, Data).self) { people[hash] = (id, key) }
        return people
    }

    func wrappedKeys(of people: [UUID]) async throws -> [UUID: Data] {
        guard !people.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT person_id, wrapped_key FROM \(unescaped: schema.rawValue).person_keys
            WHERE person_id = ANY(\(people)::uuid[])
            """, logger: logger)
        var keys: [UUID: Data] = [:]
        for try await (id, key) in rows.decode((UUID, Data).self) { keys[id] = key }
        return keys
    }
}
