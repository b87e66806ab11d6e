import Domain
import Foundation
import Intake
import Store
import Testing

@Suite("Personal fields are sealed per person, and erasing the person's key shreds them")
struct ErasureTests {
    /// Every personal value of the family example, as sent.
    static let secrets = ["张伟", "411523198807210128", "13800138000", "李娜", "320506199003154322", "张小明"]

    /// Every row of every table of the schema, as text (bytea shows as hex, so search that too).
    static func everyRow(_ stack: IntakeTestStack) async throws -> String {
        let tables = try await stack.texts("SELECT table_name::text FROM information_schema.tables WHERE table_schema = '{schema}'")
        var all = ""
        for table in tables { all += try await stack.texts("SELECT t::text FROM {schema}.\(table) t").joined(separator: "\n") }
        return all
    }

    static func leaked(_ text: String) -> [String] {
        secrets.filter { secret in
            let hex = Array(secret.utf8).map { String(format: "%02x", $0) }.joined()
            return text.contains(secret) || text.contains(hex)
        }
    }

    @Test func storedDataIsCiphertextAndNothingReadableRemainsAfterErase() async throws {
        try await IntakeTestStack.with { stack in
            let example = try Example.named("onewindow.resident.registered.v1/valid-family")
            let results = try await stack.pipeline.ingest([Submission(json: example.event, publisher: "public-security")])
            #expect(results.map(\.status) == [.accepted])
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])

            // The canonical data is ciphertext that the person's key opens.
            let row = try #require(try await stack.texts("SELECT data::text FROM {schema}.events").first)
            let data = try JSONValue.parse(Array(row.utf8))
            #expect(data["name"]?.stringValue?.hasPrefix("enc:v1:") == true)
            #expect(data["identity"]?["number"]?.stringValue?.hasPrefix("enc:v1:") == true)
            #expect(data["sex"] == .string("male"))
            let personText = try #require(try await stack.texts("SELECT stream FROM {schema}.events").first)
            let person = try #require(UUID(uuidString: personText))
            let wrapped = try #require(try await stack.keys.wrappedKey(of: person))
            let revealed = try PersonalFields.reveal(data, with: try stack.protection.unwrap(wrapped, for: person))
            #expect(revealed == example.event["data"])

            // Erase: the key and the blind index go; nothing readable is left anywhere.
            #expect(try await PersonErasure.erase(person: person, client: stack.client, store: stack.store, logger: stack.logger))
            #expect(try await stack.keys.wrappedKey(of: person) == nil)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.people WHERE person_id = '\(person)'") == 0)
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])
            // The registration, and the erasure itself as a fact in the person's stream.
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 2)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE type = 'onewindow.person.erased.v1' AND stream = '\(person.uuidString.lowercased())'") == 1)

            // The same identity now resolves to a new person.
            let again = example.event.setting(["id"], to: .string("after-erase"))
            #expect(try await stack.pipeline.ingest([Submission(json: again, publisher: "public-security")]).map(\.status) == [.accepted])
            #expect(try await stack.texts("SELECT DISTINCT stream FROM {schema}.events").count == 2)
        }
    }

    @Test func aRejectedEventLeavesNoPersonalValueInTheStore() async throws {
        try await IntakeTestStack.with { stack in
            let example = try Example.named("onewindow.resident.registered.v1/valid-family")
            let wrongSender = try await stack.pipeline.ingest([Submission(json: example.event, publisher: "health")])
            #expect(wrongSender.map(\.status) == [.rejected])
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])
        }
    }
}
