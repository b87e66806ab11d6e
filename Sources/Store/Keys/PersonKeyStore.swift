import Foundation
import Logging
import PostgresNIO

/// A person to create if the blind hash is new: a fresh id and its data key, already wrapped
/// by the caller's master key. The store never sees an unwrapped key.
public struct NewPerson: Sendable, Equatable {
    public var id: UUID
    public var wrappedKey: Data

    public init(id: UUID, wrappedKey: Data) {
        self.id = id
        self.wrappedKey = wrappedKey
    }
}

/// The person a blind hash resolved to, and whether this call created them.
public struct ResolvedPerson: Sendable, Equatable {
    public let id: UUID
    public let created: Bool

    public init(id: UUID, created: Bool) {
        self.id = id
        self.created = created
    }
}

/// Per-person data keys (crypto-shredding) and the blind index that maps the keyed hash of
/// an identity number to a person id: one row per person in `people` (migration 6), holding
/// neither an identity number nor a plain key.
public struct PersonKeyStore: Sendable {
    let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public init(client: PostgresClient, configuration: StoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// The person for `blindHash`, creating `candidate` (index entry and key together) when the
    /// hash is new. Safe under concurrent callers: all of them get the same person id.
    public func resolvePerson(blindHash: BlindHash, candidate: NewPerson) async throws(StoreError) -> ResolvedPerson {
        let resolved = try await resolvePeople([blindHash: candidate])
        guard let person = resolved[blindHash] else { throw StoreError.database(sqlState: nil, underlying: MissingRow()) }
        return person
    }

    /// Batch form of ``resolvePerson(blindHash:candidate:)`` for the intake: one statement
    /// whatever the number of hashes (a second one only for hashes a concurrent caller indexed
    /// first), each its own transaction: an explicit one added two round trips (BEGIN, COMMIT)
    /// to every batch and protected nothing, the insert being a single statement.
    public func resolvePeople(_ candidates: [BlindHash: NewPerson]) async throws(StoreError) -> [BlindHash: ResolvedPerson] {
        guard !candidates.isEmpty else { return [:] }
        let ordered = Array(candidates)
        let hashes = ordered.map(\.key)
        let ids = ordered.map(\.value.id)
        let keys = ordered.map { ByteBuffer(bytes: $0.value.wrappedKey) }
        let s = configuration.schema.rawValue
        // Inserted in hash order, so that concurrent batches lock index entries in the same
        // order. PostgreSQL sorts them: the same sort in Swift cost ≈ 1 % of the intake's CPU.
        //
        // First a plain INSERT: the caller looked the hashes up just before, so they are almost
        // always new, and ON CONFLICT's speculative insertion cost ≈ 20 % more per row (1,000
        // people into 300,000: 11.2–13.9 against 9.4–11.4 ms). A hash a concurrent caller
        // indexed meanwhile makes it fail as a whole (unique violation, nothing written), and
        // the statement below runs instead. Its ON CONFLICT DO NOTHING waits for a concurrent
        // insert of the same hash to finish, so once it has returned that row is committed, and
        // the SELECT further down (a new snapshot under READ COMMITTED) sees it.
        let insert = """
            INSERT INTO \(s).people (blind_hash, person_id, wrapped_key)
            SELECT * FROM unnest($1::bytea[], $2::uuid[], $3::bytea[]) AS i(blind_hash, person_id, wrapped_key)
            ORDER BY blind_hash
            """
        func statement(_ sql: String) -> PostgresQuery {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(hashes)
            bindings.append(ids)
            bindings.append(keys)
            return PostgresQuery(unsafeSQL: sql, binds: bindings)
        }
        // The plain INSERT writes every row or none, so when it succeeds every candidate was
        // created as given and nothing needs to come back (returning the rows cost PostgreSQL
        // and the decoding here a row per person).
        let created: [PostgresRow]
        do {
            _ = try await client.collect(statement(insert), logger: logger)
            var resolved: [BlindHash: ResolvedPerson] = [:]
            resolved.reserveCapacity(ordered.count)
            for (hash, candidate) in ordered { resolved[hash] = ResolvedPerson(id: candidate.id, created: true) }
            return resolved
        } catch where error.sqlState == "23505" {
            created = try await client.collect(
                statement(insert + " ON CONFLICT (blind_hash) DO NOTHING RETURNING blind_hash, person_id"), logger: logger)
        }
        var resolved: [BlindHash: ResolvedPerson] = [:]
        do {
            for row in created {
                let (hash, id) = try row.decode((BlindHash, UUID).self)
                resolved[hash] = ResolvedPerson(id: id, created: true)
            }
        } catch {
            throw StoreError.wrap(error)
        }
        // Only hashes a concurrent caller indexed first are left; usually none.
        let taken = ordered.filter { resolved[$0.key] == nil }.map(\.key)
        guard !taken.isEmpty else { return resolved }
        let existing = try await client.collect("""
            SELECT h.blind_hash, x.person_id FROM unnest(\(taken)::bytea[]) AS h(blind_hash)
            CROSS JOIN LATERAL (SELECT person_id FROM \(unescaped: s).people x
                                WHERE x.blind_hash = h.blind_hash OFFSET 0) x
            """, logger: logger)
        do {
            for row in existing {
                let (hash, id) = try row.decode((BlindHash, UUID).self)
                resolved[hash] = ResolvedPerson(id: id, created: false)
            }
        } catch {
            throw StoreError.wrap(error)
        }
        return resolved
    }

    /// The people already indexed under `hashes`, with their wrapped keys, in one statement
    /// (the intake's common case: every person of a batch known). Hashes without a person, or
    /// whose person was erased, are absent.
    ///
    /// Each hash is looked up by its index entry (`LATERAL … OFFSET 0`, here and below). Asked
    /// for a thousand hashes as a join, PostgreSQL read the people whole on every call until
    /// they were some hundreds of thousands.
    public func knownPeople(_ hashes: [BlindHash]) async throws(StoreError) -> [BlindHash: (id: UUID, wrappedKey: Data)] {
        guard !hashes.isEmpty else { return [:] }
        let s = configuration.schema.rawValue
        let rows = try await client.collect("""
            SELECT h.blind_hash, x.person_id, x.wrapped_key
            FROM unnest(\(hashes)::bytea[]) AS h(blind_hash)
            CROSS JOIN LATERAL (SELECT person_id, wrapped_key FROM \(unescaped: s).people x
                                WHERE x.blind_hash = h.blind_hash OFFSET 0) x
            """, logger: logger)
        var people: [BlindHash: (id: UUID, wrappedKey: Data)] = [:]
        do {
            for row in rows {
                let (hash, id, key) = try row.decode((BlindHash, UUID, Data).self)
                people[hash] = (id, key)
            }
        } catch {
            throw StoreError.wrap(error)
        }
        return people
    }

    /// The person's wrapped data key; `nil` when there is none (never created, or erased).
    public func wrappedKey(of person: UUID) async throws(StoreError) -> Data? {
        let rows = try await client.collect(
            "SELECT wrapped_key FROM \(unescaped: configuration.schema.rawValue).people WHERE person_id = \(person)",
            logger: logger)
        do { return try rows.first?.decode(Data.self) } catch { throw StoreError.wrap(error) }
    }

    /// The wrapped data keys of `people` that still have one (erased people are absent).
    public func wrappedKeys(of people: [UUID]) async throws(StoreError) -> [UUID: Data] {
        guard !people.isEmpty else { return [:] }
        let rows = try await client.collect("""
            SELECT p.person_id, k.wrapped_key FROM unnest(\(people)::uuid[]) AS p(person_id)
            CROSS JOIN LATERAL (SELECT wrapped_key FROM \(unescaped: configuration.schema.rawValue).people k
                                WHERE k.person_id = p.person_id OFFSET 0) k
            """, logger: logger)
        var keys: [UUID: Data] = [:]
        do {
            for row in rows {
                let (id, key) = try row.decode((UUID, Data).self)
                keys[id] = key
            }
        } catch {
            throw StoreError.wrap(error)
        }
        return keys
    }

    /// Crypto-shreds a person: deletes their row, data key and blind-index entry together, so
    /// their encrypted fields can no longer be read and the identity no longer resolves to them.
    /// True when there was a key to delete.
    @discardableResult
    public func erase(person: UUID) async throws(StoreError) -> Bool {
        let rows = try await client.collect(
            "DELETE FROM \(unescaped: configuration.schema.rawValue).people WHERE person_id = \(person) RETURNING 1",
            logger: logger)
        logger.info("person erased", metadata: ["personId": "\(person)", "keyDeleted": "\(!rows.isEmpty)"])
        return !rows.isEmpty
    }
}

/// A statement returned no row where the schema guarantees one.
struct MissingRow: Error {}
