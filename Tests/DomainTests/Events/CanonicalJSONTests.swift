import Foundation
import PropertyBased
import Testing
@testable import Domain

/// The intake writes an event's `data` straight from its typed payload, each type listing its
/// members in sorted order by hand; these bytes must be exactly those of the tree's encoding.
@Suite("Canonical data written from typed events equals the encoded JSON tree")
struct CanonicalJSONTests {
    /// Marks personal strings, so the test sees which members went through the writer, and
    /// whose they are (`personal:` the subject's, `personal(<number>):` another person's).
    struct Marker: PersonalTextWriter {
        func write(personal text: String, of holder: Identity?, into out: inout [UInt8]) throws {
            JSONValue.writeString("personal" + (holder.map { "(\($0.number))" } ?? "") + ":" + text, into: &out)
        }
    }

    @Test func typedWritingGivesTheTreesBytesForRandomEventsOfEveryType() async throws {
        await propertyCheck(count: 400, input: Gen.uint64(in: 0 ... .max)) { seed in
            var events = RandomEvents(rng: SplitMix64(seed: seed))
            let sent = events.envelope()
            guard case .success(let envelope) = EventEnvelope.decode(sent) else {
                Issue.record("a random valid event was rejected")
                return
            }
            // The type the event's case answers is the one it was sent as.
            guard case .object(let members) = sent else {
                Issue.record("a random event is not an object")
                return
            }
            #expect(members["type"] == .string(envelope.type.rawValue))
            let tree = envelope.event.data
            let written = (try? envelope.event.canonicalData()).map { String(decoding: $0, as: UTF8.self) }
            #expect(written == String(decoding: tree.encoded(), as: UTF8.self))
        }
    }

    @Test func personalStringsGoThroughTheWriterAndNothingElseDoes() throws {
        let data = JSONValue.object([
            "identity": .object(["type": .string("resident-id"), "number": .string("411523198807210128")]),
            "requestId": .string("R-1"), "category": .string("education"), "service": .string("school-enrollment"),
            "beneficiary": .string("张小明"), "details": .object(["name": .string("not personal here")]),
        ])
        let event = try EventEnvelope.decode(JSONValue.object([
            "specversion": .string("1.0"), "id": .string("r-1"), "source": .string("/orgs/education"),
            "type": .string("onewindow.service.requested.v1"), "time": .string("2026-03-01T09:30:00Z"),
            "actor": .string("education"), "region": .string("320505001001"), "data": data,
        ])).get().event
        let written = String(decoding: try event.canonicalData(personal: Marker()), as: UTF8.self)
        #expect(written.contains(#""number":"personal:411523198807210128""#))
        #expect(written.contains(#""beneficiary":"personal:张小明""#))
        #expect(written.contains(#""details":{"name":"not personal here"}"#))
        #expect(written.components(separatedBy: "personal:").count == 3)
    }

    @Test func householdMembersAndBeneficiariesWithAnIdentityHoldTheirOwnStrings() throws {
        func decode(_ type: String, _ data: JSONValue) throws -> DepartmentEvent {
            try EventEnvelope.decode(JSONValue.object([
                "specversion": .string("1.0"), "id": .string("e-1"), "source": .string("/orgs/x"), "type": .string(type),
                "time": .string("2026-03-01T09:30:00Z"), "actor": .string("public-security"), "region": .string("320505001001"), "data": data,
            ])).get().event
        }
        let registration = try decode("onewindow.resident.registered.v1", .object([
            "identity": .object(["type": .string("resident-id"), "number": .string("411523198807210128")]),
            "name": .string("张伟"), "sex": .string("male"), "birthDate": .string("1988-07-21"), "originRegion": .string("411523000000"),
            "residence": .object(["region": .string("320505001001"), "gridId": .string("G-0107")]), "arrivedOn": .string("2026-02-27"),
            "household": .array([
                .object(["relation": .string("spouse"), "name": .string("李娜"), "birthDate": .string("1990-03-15"),
                         "identity": .object(["type": .string("resident-id"), "number": .string("320506199003154322")])]),
                .object(["relation": .string("child"), "name": .string("张小明"), "birthDate": .string("2019-09-01")]),
            ]),
        ]))
        #expect(registration.otherPeople.map(\.number) == ["320506199003154322"])
        let written = String(decoding: try registration.canonicalData(personal: Marker()), as: UTF8.self)
        #expect(written.contains(#""name":"personal(320506199003154322):李娜""#))
        #expect(written.contains(#""number":"personal(320506199003154322):320506199003154322""#))
        #expect(written.contains(#""name":"personal:张小明""#))
        #expect(written.contains(#""name":"personal:张伟""#))
        #expect(written.contains(#""number":"personal:411523198807210128""#))

        let request = try decode("onewindow.service.requested.v1", .object([
            "identity": .object(["type": .string("resident-id"), "number": .string("411523198807210128")]),
            "requestId": .string("R-1"), "category": .string("education"), "service": .string("school-enrollment"),
            "beneficiary": .object(["type": .string("passport"), "number": .string("E12345678")]),
        ]))
        #expect(request.otherPeople.map(\.number) == ["E12345678"])
        let requested = String(decoding: try request.canonicalData(personal: Marker()), as: UTF8.self)
        #expect(requested.contains(#""beneficiary":{"number":"personal(E12345678):E12345678","type":"passport"}"#))
        #expect(requested.contains(#""identity":{"number":"personal:411523198807210128""#))
    }
}
