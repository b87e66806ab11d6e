import Foundation
import Store
import Testing

@Suite("Person keys and the identity blind index")
struct PersonKeyTests {
    /// A blind hash for a test: the text's bytes, padded to 32.
    static func hash(_ text: String) -> BlindHash {
        BlindHash(Array(text.utf8) + Array(repeating: 0, count: BlindHash.byteCount - text.utf8.count))!
    }
    static func newPerson() -> NewPerson { NewPerson(id: UUID(), wrappedKey: Data((0..<60).map { _ in UInt8.random(in: 0...255) })) }

    @Test func aBlindHashIsExactly32BytesAndKeepsThemAndTheirOrder() {
        let bytes = (0..<32).map { UInt8($0 * 7 + 1) }
        #expect(BlindHash(bytes)?.bytes == bytes)
        #expect(BlindHash(bytes) == BlindHash(bytes))
        #expect(BlindHash(bytes) != BlindHash(bytes.reversed()))
        #expect(BlindHash(bytes.dropLast()) == nil)
        #expect(BlindHash(bytes + [0]) == nil)
        let printed = "\(BlindHash(bytes)!)"
        #expect(printed.allSatisfy { !$0.isNumber }, "\(printed)")  // the bytes are never printed, in any base
    }

    @Test func aNewBlindHashCreatesThePersonWithTheirKeyAndLaterLookupsFindThem() async throws {
        try await TestStack.withStore { stack in
            let candidate = Self.newPerson()
            let created = try await stack.keys.resolvePerson(blindHash: Self.hash("h1"), candidate: candidate)
            #expect(created == ResolvedPerson(id: candidate.id, created: true))
            #expect(try await stack.keys.wrappedKey(of: candidate.id) == candidate.wrappedKey)

            let other = Self.newPerson()
            let found = try await stack.keys.resolvePerson(blindHash: Self.hash("h1"), candidate: other)
            #expect(found == ResolvedPerson(id: candidate.id, created: false))
            #expect(try await stack.keys.wrappedKey(of: other.id) == nil)
        }
    }

    @Test func concurrentCallersForOneIdentityAllGetOnePerson() async throws {
        try await TestStack.withStore { stack in
            let results = try await withThrowingTaskGroup(of: ResolvedPerson.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await stack.keys.resolvePerson(blindHash: Self.hash("same"), candidate: Self.newPerson()) }
                }
                return try await group.reduce(into: [ResolvedPerson]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.id)).count == 1)
            #expect(results.filter(\.created).count == 1)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.people") == 1)
        }
    }

    @Test func batchResolutionCreatesOnlyTheNewPeople() async throws {
        try await TestStack.withStore { stack in
            let known = try await stack.keys.resolvePerson(blindHash: Self.hash("known"), candidate: Self.newPerson())
            let fresh = Self.newPerson()
            let resolved = try await stack.keys.resolvePeople([Self.hash("known"): Self.newPerson(), Self.hash("fresh"): fresh])
            #expect(resolved[Self.hash("known")] == ResolvedPerson(id: known.id, created: false))
            #expect(resolved[Self.hash("fresh")] == ResolvedPerson(id: fresh.id, created: true))
        }
    }

    @Test func erasingAPersonDeletesTheirKeyAndTheirBlindIndexEntry() async throws {
        try await TestStack.withStore { stack in
            let person = try await stack.keys.resolvePerson(blindHash: Self.hash("gone"), candidate: Self.newPerson())
            let bystander = try await stack.keys.resolvePerson(blindHash: Self.hash("stays"), candidate: Self.newPerson())

            #expect(try await stack.keys.erase(person: person.id))
            #expect(try await stack.keys.wrappedKey(of: person.id) == nil)
            #expect(try await stack.keys.wrappedKey(of: bystander.id) != nil)
            // The identity no longer leads to the erased person.
            let again = try await stack.keys.resolvePerson(blindHash: Self.hash("gone"), candidate: Self.newPerson())
            #expect(again.id != person.id && again.created)
            // Erasing twice finds nothing more to delete.
            #expect(try await stack.keys.erase(person: person.id) == false)
        }
    }
}
