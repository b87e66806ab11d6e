import Foundation
import Testing
import Domain

@Suite("Case events on the wire: encode and decode agree with each other and with Events/emitted-examples")
struct CaseEventWireTests {
    static let caseID = CaseID(UUID(uuidString: "0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11")!)
    static let person = PersonID(UUID(uuidString: "0b7f3c1e-2d4a-4e8b-9c6d-5f1a2b3c4d5e")!)
    static let t0 = Date(timeIntervalSince1970: 1_772_328_600)  // 2026-03-01T01:30:00Z
    static let odd = Date(timeIntervalSinceReferenceDate: 794_000_000.123_456_789)
    static let education: OrganizationID = "education"

    /// Every type, optional members present and absent, every kind of actor.
    static let events: [CaseEvent] = [
        .opened(CaseOpened(caseID: caseID, kind: "school-enrollment", due: t0.addingTimeInterval(3 * 86_400), at: t0)),
        .opened(CaseOpened(caseID: caseID, kind: "wage-arrears", personID: person, priority: .major, due: odd,
                           otherRegion: try! RegionCode("411523000000"), at: odd)),
        .assigned(to: education, by: .office, due: odd, at: t0),
        .assigned(to: education, by: .committee, due: t0, at: odd),
        .referred(to: "shishan-community", by: .organization(education), due: odd, at: t0),
        .accepted(by: education, at: odd),
        .declined(by: education, reason: "no school place", at: t0),
        .noted(noteID: "n-1", by: .office, text: "已联系学校\n\"waiting\"", at: t0),
        .escalated(reason: .majorMatter, by: .office, at: t0),
        .escalated(reason: .deadlineMissedTwice, by: .committee, at: t0),
        .resolved(by: .organization(education), outcome: "enrolled", at: t0),
        .reopened(by: .office, reason: "parent complained", at: t0),
        .closed(by: .office, at: odd),
    ]

    @Test func everyCaseEventTypeIsInTheRoundTripTable() {
        #expect(Set(Self.events.map(\.type)) == Set(CaseEventType.allCases))
    }

    @Test(arguments: events)
    func eventSurvivesEncodingToBytesAndDecoding(_ event: CaseEvent) throws {
        let (type, data) = CaseEventWire.encode(event, caseID: Self.caseID)
        #expect(type == event.type.rawValue)
        #expect(data.objectValue?["caseId"] == .string("0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11"))
        let decoded = try CaseEventWire.decode(type: type, data: JSONValue.parse(data.encoded()), at: event.at).get()
        #expect(decoded.caseID == Self.caseID)
        #expect(decoded.event == event)
    }

    @Test func randomEventsSurviveEncodingAndDecoding() throws {
        var random = RandomCaseEvents(rng: SplitMix64(seed: 20_260_301))
        for _ in 0..<2_000 {
            let (caseID, event) = random.next()
            let (type, data) = CaseEventWire.encode(event, caseID: caseID)
            let decoded = try CaseEventWire.decode(type: type, data: JSONValue.parse(data.encoded()), at: event.at).get()
            #expect(decoded.caseID == caseID && decoded.event == event, "\(String(decoding: data.encoded(), as: UTF8.self))")
        }
    }

    @Test func instantsAreWrittenInUTCToTheNanosecondAndReadWithAnyOffset() throws {
        func dueAt(_ due: Date) -> JSONValue? {
            CaseEventWire.encode(.assigned(to: Self.education, by: .office, due: due, at: Self.t0), caseID: Self.caseID).data.objectValue?["dueAt"]
        }
        #expect(dueAt(Self.t0) == .string("2026-03-01T01:30:00Z"))
        #expect(dueAt(Self.t0.addingTimeInterval(0.25)) == .string("2026-03-01T01:30:00.25Z"))
        #expect(dueAt(Date(timeIntervalSince1970: -1)) == .string("1969-12-31T23:59:59Z"))
        #expect(dueAt(Date(timeIntervalSinceReferenceDate: 0.000_000_001)) == .string("2001-01-01T00:00:00.000000001Z"))
        let data: JSONValue = .object(["caseId": "0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11", "assignee": "education", "by": "office",
                                       "dueAt": "2026-03-01T09:30:00+08:00"])
        let decoded = try CaseEventWire.decode(type: "onewindow.case.assigned.v1", data: data, at: Self.t0).get()
        #expect(decoded.event == .assigned(to: Self.education, by: .office, due: Self.t0, at: Self.t0))
    }

    @Test func everyProblemIsNamedAtItsField() {
        let data: JSONValue = .object(["caseId": "0B7F3C8E-5A7E-4C43-9D8E-0E1F7F6B2C11", "kind": "Wage Arrears", "priority": "urgent",
                                       "dueAt": "2026-03-04", "by": "committee", "personId": .number(7), "extra": "x"])
        let failure = CaseEventWire.decode(type: "onewindow.case.opened.v1", data: data, at: Self.t0).rejectedFields
        #expect(failure == ["/data/caseId", "/data/kind", "/data/priority", "/data/dueAt", "/data/by", "/data/personId", "/data/extra"])
        #expect(CaseEventWire.decode(type: "onewindow.case.opened.v1", data: .array([]), at: Self.t0).rejectedFields == ["/data"])
        #expect(CaseEventWire.decode(type: "onewindow.resident.moved.v1", data: .object([:]), at: Self.t0).rejectedFields == ["/type"])
    }

    @Test(arguments: ["office", "committee"])
    func theReservedWordsOfByAreNoOrganization(_ word: String) {
        let accepted: JSONValue = .object(["caseId": "0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11", "by": .string(word)])
        #expect(CaseEventWire.decode(type: "onewindow.case.accepted.v1", data: accepted, at: Self.t0).rejectedFields == ["/data/by"])
        let closed = CaseEventWire.decode(type: "onewindow.case.closed.v1", data: accepted, at: Self.t0)
        #expect(closed.rejectedFields == [])
    }

    // MARK: Events/emitted-examples

    static let examples = ((try? ContractFiles.examples(in: "emitted-examples")) ?? [])
        .filter { CaseEventType(rawValue: $0.type) != nil }

    @Test func thereIsAValidAndAnInvalidExampleForEveryCaseEventType() {
        for type in CaseEventType.allCases {
            #expect(Self.examples.contains { $0.name.hasPrefix(type.rawValue + "/valid-") }, "\(type.rawValue)")
            #expect(Self.examples.contains { $0.name.hasPrefix(type.rawValue + "/invalid-") }, "\(type.rawValue)")
        }
    }

    /// The example's type, data and time, decoded.
    static func decode(_ example: ContractFiles.Example) throws -> Result<(caseID: CaseID, event: CaseEvent), ValidationFailure> {
        let event = try JSONValue.parse(example.event).objectValue ?? [:]
        let time = try EventTime(event["time"]?.stringValue ?? "")
        return CaseEventWire.decode(type: event["type"]?.stringValue ?? "", data: event["data"] ?? .null, at: time.date)
    }

    @Test(arguments: examples)
    func exampleIsAcceptedOrRejectedAtExactlyTheLabelledField(_ example: ContractFiles.Example) throws {
        #expect(try Self.decode(example).rejectedFields == (example.brokenField.map { [$0] } ?? []))
    }

    @Test(arguments: examples.filter { $0.brokenField == nil })
    func validExampleIsReencodedUnchanged(_ example: ContractFiles.Example) throws {
        let (caseID, event) = try Self.decode(example).get()
        let envelope = try JSONValue.parse(example.event).objectValue ?? [:]
        let (type, data) = CaseEventWire.encode(event, caseID: caseID)
        #expect(type == envelope["type"]?.stringValue)
        #expect(data == envelope["data"])
        #expect(event.at == (try EventTime(envelope["time"]?.stringValue ?? "")).date)
    }
}

extension Result where Success == (caseID: CaseID, event: CaseEvent), Failure == ValidationFailure {
    /// The fields the case codec rejects (empty when it accepts).
    var rejectedFields: Set<String> {
        switch self {
        case .success: []
        case .failure(let f): Set(f.errors.map(\.field))
        }
    }
}
