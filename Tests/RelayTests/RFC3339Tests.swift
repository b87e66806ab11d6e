import Foundation
@testable import Relay
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1_772_000_000.25, "2026-02-25T06:13:20.25Z"),
        (951_782_400.000001, "2000-02-29T00:00:00.000001Z"),
        (-1.5, "1969-12-31T23:59:58.5Z"),
        (4_102_444_799.0, "2099-12-31T23:59:59Z"),
        (253_402_300_799.5, "9999-12-31T23:59:59.5Z"),
        (-62_198_755_200.0, "-0001-01-01T00:00:00Z"),
    ])
    func formatsUTCWithMicrosecondsAndNoTrailingZeros(seconds: Double, text: String) {
        #expect(RFC3339.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    /// From 1614 on: Foundation switches to the Julian calendar before 1582; RFC 3339 is Gregorian.
    @Test func agreesWithFoundationOverManyDays() throws {
        let formatter = ISO8601DateFormatter()
        for day in stride(from: -130_000, through: 2_900_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 3_723)
            #expect(RFC3339.format(date) == formatter.string(from: date))
        }
    }
}
