import Foundation
import PropertyBased
import Testing
@testable import Domain

/// The intake writes an event's `data` straight from its typed payload, each type listing its
/// members in sorted order by hand; these bytes must be exactly those of the tree's encoding.
@Suite("Canonical data written from typed events equals the encoded JSON tree")
struct CanonicalJSONTests {
    /// Marks personal strings, so the test sees which members went through the writer.
    struct Marker: PersonalTextWriter {
        func write(personal text: String, into out: inout [UInt8]) throws {
            JSONValue.writeString("personal:" + text, into: &out)
        }
    }

    @Test func typedWritingGivesTheTreesBytesForRandomEventsOfEveryType() async throws {
        await propertyCheck(count: 400, input: Gen.uint64(in: 0 ... .max)) { seed in
            var events = RandomEvents(rng: SplitMix64(seed: seed))
            guard case .success(let envelope) = EventEnvelope.decode(events.envelope()) else {
                Issue.record("a random valid event was rejected")
                return
            }
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
}
