@testable import API
import Domain
import Intake
import Testing

@Suite("The answer to POST /v1/events")
struct EventAnswerTests {
    /// The object of one result as a JSON value: what the answer held before it was written by hand.
    static func object(_ result: IngestResult) -> JSONValue {
        var members: [String: JSONValue] = ["status": .string(result.status.rawValue)]
        members["id"] = result.id.map(JSONValue.string)
        members["reason"] = result.reason.map(JSONValue.string)
        members["field"] = result.field.map(JSONValue.string)
        return .object(members)
    }

    static let results: [IngestResult] = [
        IngestResult(id: "e-1", source: "/police", status: .accepted),
        IngestResult(id: "e-2", source: "/police", status: .duplicate),
        IngestResult(id: nil, source: nil, status: .rejected, reason: "the body is not a CloudEvent", field: ""),
        IngestResult(id: "quote\"back\\slash\nnew line\u{01}", source: "/x", status: .rejected,
                     reason: "/data/name: 名字 must not be empty", field: "/data/name"),
        IngestResult(id: "e-5", source: nil, status: .rejected, reason: "no field named", field: nil),
    ]

    @Test func aBatchIsAnArrayOfSortedObjectsWithAbsentMembersLeftOut() throws {
        let written = EventRoutes.encoded(Self.results, asArray: true)
        #expect(written == JSONValue.array(Self.results.map(Self.object)).encoded())
        #expect(try JSONValue.parse(written) == .array(Self.results.map(Self.object)))
    }

    @Test func oneEventIsAnsweredWithOneObjectAndNothingWithAnEmptyArray() {
        for result in Self.results {
            #expect(EventRoutes.encoded([result], asArray: false) == Self.object(result).encoded())
        }
        #expect(EventRoutes.encoded([], asArray: true) == Array("[]".utf8))
    }
}
