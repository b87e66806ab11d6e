import Testing
import PropertyBased
import Domain

@Suite("CalendarDate: only days that exist")
struct CalendarDateTests {
    @Test(arguments: ["2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01",
                      "2026-1-01", "2026/01/01", "20260101", "2026-01-01T00:00:00Z", "", "２026-01-01"])
    func impossibleOrMalformedDateIsRejected(_ text: String) {
        #expect(throws: InvalidValue.self) { try CalendarDate(iso: text) }
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-04-30"])
    func realDateRoundTripsThroughItsText(_ text: String) throws {
        #expect(try CalendarDate(iso: text).description == text)
    }

    @Test func dayNumbersRoundTripAndAgreeWithAge() async {
        await propertyCheck(count: 300, input: Gen.int(in: -700_000...2_900_000)) { days in
            let date = CalendarDate(daysSinceEpoch: days)!
            #expect(date.daysSinceEpoch == days)
            #expect(date.adding(days: 1)! > date)
        }
        let born = try! CalendarDate(iso: "2010-06-15")
        #expect(born.age(on: try! CalendarDate(iso: "2026-06-14")) == 15)
        #expect(born.age(on: try! CalendarDate(iso: "2026-06-15")) == 16)
    }

    @Test(arguments: ["2026-03-01T09:30:00+08:00", "2026-03-01T01:30:00Z", "2026-03-01t01:30:00.123456789z"])
    func rfc3339TimeWithOffsetIsAccepted(_ text: String) throws {
        let t = try EventTime(text)
        #expect(t.text == text)
    }

    @Test func offsetsNameTheSameInstant() throws {
        #expect(try EventTime("2026-03-01T09:30:00+08:00").secondsSinceEpoch == EventTime("2026-03-01T01:30:00Z").secondsSinceEpoch)
    }

    @Test(arguments: ["2026-03-01T09:30:00", "2026-03-01 09:30:00Z", "2026-03-01T24:00:00Z", "2026-03-01T09:30:60Z",
                      "2026-02-30T09:30:00Z", "2026-03-01T09:30:00.Z", "2026-03-01T09:30:00+0800", "2026-03-01T09:30:00+24:00"])
    func malformedTimeIsRejected(_ text: String) {
        #expect(throws: InvalidValue.self) { try EventTime(text) }
    }
}
