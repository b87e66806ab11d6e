import Testing
import Foundation
import Domain

@Suite("Decoding envelopes: structured and binary mode, errors name fields")
struct EnvelopeDecodingTests {
    static let valid = """
    {"specversion":"1.0","id":"app-1","source":"/orgs/public-security/permits","type":"onewindow.permit.applied.v1",
     "time":"2026-03-01T09:30:00+08:00","actor":"public-security","region":"320505001001","traceparent":"00-ab-cd-01",
     "data":{"identity":{"type":"resident-id","number":"411523198807210128"},"applicationId":"A-1","appliedOn":"2026-03-30"}}
    """

    @Test func validEventDecodesToItsSwiftType() throws {
        let envelope = try EventEnvelope.decode(json: Array(Self.valid.utf8)).get()
        #expect(envelope.type == .permitApplied)
        guard case .permitApplied(let p) = envelope.event else { Issue.record("wrong case"); return }
        #expect(p.applicationID == "A-1")
        #expect(envelope.event.identity?.residentID?.birthDate == (try CalendarDate(iso: "1988-07-21")))
        #expect(envelope.extensions["traceparent"] == .string("00-ab-cd-01"))
    }

    @Test func severalProblemsAreAllReportedWithTheirFields() {
        let bad = Self.valid.replacingOccurrences(of: "\"A-1\"", with: "\"\"")
            .replacingOccurrences(of: "2026-03-30", with: "2026-02-30").replacingOccurrences(of: "\"public-security\"", with: "\"PS\"")
        guard case .failure(let failure) = EventEnvelope.decode(json: Array(bad.utf8)) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == ["/actor", "/data/applicationId", "/data/appliedOn"])
        #expect(failure.errors.allSatisfy { !$0.reason.isEmpty })
    }

    /// RFC 6901: a member name holding `~` or `/` is escaped in the field that names it.
    @Test func anUnknownMemberIsNamedByItsEscapedPointer() {
        let bad = Self.valid.replacingOccurrences(of: "\"appliedOn\"", with: "\"a/b~c\":1,\"appliedOn\"")
        guard case .failure(let failure) = EventEnvelope.decode(json: Array(bad.utf8)) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == ["/data/a~1b~0c"])
    }

    /// A repeated name counts once, with its last value (as a tree parser keeps it), at the
    /// envelope and inside `data`; a bad attribute name is reported first, a bad extension last.
    @Test func repeatedNamesKeepTheLastValueAndBadNamesAreReportedInOrder() throws {
        let repeated = Self.valid.replacingOccurrences(of: "\"id\":\"app-1\"", with: "\"id\":\"first\",\"id\":\"app-1\"")
            .replacingOccurrences(of: "\"applicationId\":\"A-1\"", with: "\"applicationId\":7,\"applicationId\":\"A-1\"")
        let envelope = try EventEnvelope.decode(json: Array(repeated.utf8)).get()
        #expect(envelope.id == "app-1")
        guard case .permitApplied(let p) = envelope.event else { Issue.record("wrong case"); return }
        #expect(p.applicationID == "A-1")
        #expect(envelope.extensions == ["traceparent": .string("00-ab-cd-01")])

        let bad = Self.valid.replacingOccurrences(of: "\"traceparent\"", with: "\"Trace\":true,\"nested\":{},\"traceparent\"")
            .replacingOccurrences(of: "\"A-1\"", with: "\"\"")
        guard case .failure(let failure) = EventEnvelope.decode(json: Array(bad.utf8)) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == ["/Trace", "/data/applicationId", "/nested"])
    }

    @Test(arguments: ["", "{", "[1,2]", "\"event\"", "{\"a\":1}x", "null"])
    func nonEventBodyIsRejectedAtTheRoot(_ body: String) {
        guard case .failure(let failure) = EventEnvelope.decode(json: Array(body.utf8)) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == [""])
    }

    /// `\u0000` is valid JSON, but no PostgreSQL text can hold U+0000: refused first, by the
    /// pointer of the string that holds it (or of the object whose member name does), in a
    /// parsed document, in one element of a batch, and in a value built in memory.
    @Test(arguments: [
        (#""id":"app-1""#, #""id":"app\u0000-1""#, "/id"),
        (#""applicationId":"A-1""#, #""applicationId":"A-1\u0000""#, "/data/applicationId"),
        (#""traceparent":"00-ab-cd-01""#, #""traceparent":"00-ab-cd-01","tags":["x","\u0000"]"#, "/tags/1"),
        (#""appliedOn""#, #""x\u0000y":1,"appliedOn""#, "/data"),
    ])
    func aNULCharacterIsRefusedByItsField(_ replaced: String, _ with: String, _ field: String) throws {
        let bad = Self.valid.replacingOccurrences(of: replaced, with: with)
        #expect(bad != Self.valid)
        guard case .failure(let failure) = EventEnvelope.decode(json: Array(bad.utf8)) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == [field])
        #expect(failure.errors.first?.reason.contains("U+0000") == true)

        // The same event as the second element of a batch: the first element does not count.
        let batch = try JSONDocument.parse(Array("[\(Self.valid),\(bad)]".utf8)).root
        let items = try #require(batch.arrayItems)
        #expect(items[0].pointerToNUL == nil)
        #expect(items[1].pointerToNUL == field)
        #expect((try? EventEnvelope.decode(items[0]).get()) != nil)

        // Built in memory (binary mode goes this way).
        let tree = try JSONValue.parse(Array(bad.utf8))
        guard case .failure(let inMemory) = EventEnvelope.decode(tree) else { Issue.record("accepted in memory"); return }
        #expect(inMemory.errors.map(\.field) == [field])
    }

    @Test func binaryModeRefusesANULInAHeaderByItsAttribute() throws {
        let structured = try EventEnvelope.decode(json: Array(Self.valid.utf8)).get()
        let (headers, data) = structured.encodedBinary()
        let bad = headers.map { $0.0 == "ce_source" ? ($0.0, $0.1 + [0]) : $0 }
        guard case .failure(let failure) = EventEnvelope.decode(headers: bad, data: data) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == ["/source"])
    }

    @Test func binaryModeWithKafkaHeadersDecodesTheSameEvent() throws {
        let structured = try EventEnvelope.decode(json: Array(Self.valid.utf8)).get()
        let (headers, data) = structured.encodedBinary()
        #expect(headers.contains { $0.0 == "ce_type" && $0.1 == Array("onewindow.permit.applied.v1".utf8) })
        #expect(try EventEnvelope.decode(headers: headers, data: data).get() == structured)
    }

    @Test func binaryModeWithTextHeadersReportsMissingAndBadAttributes() {
        let headers = ["ce_specversion": "1.0", "ce_id": "x", "ce_source": "/s", "ce_type": "onewindow.permit.applied.v1",
                       "ce_time": "yesterday", "ce_actor": "public-security", "content-type": "application/json"]
        let result = EventEnvelope.decode(headers: headers, data: Array("{not json".utf8))
        guard case .failure(let failure) = result else { Issue.record("accepted"); return }
        #expect(Set(failure.errors.map(\.field)) == ["/time", "/region", "/data"])
    }

    @Test func reencodedEventIsCanonicalAndDecodesToTheSameValue() throws {
        let envelope = try EventEnvelope.decode(json: Array(Self.valid.utf8)).get()
        let bytes = envelope.encodedJSON()
        #expect(try EventEnvelope.decode(json: bytes).get() == envelope)
        #expect(try EventEnvelope.decode(json: bytes).get().encodedJSON() == bytes)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("{\"actor\":\"public-security\",\"data\":{"))
    }
}
