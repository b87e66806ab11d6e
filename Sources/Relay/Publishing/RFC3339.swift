import Foundation

/// RFC 3339 timestamps in UTC with the store's microsecond precision (trailing zeros of the
/// fraction dropped), e.g. `2026-03-01T01:30:00.25Z`. Plain arithmetic (Howard Hinnant's
/// days-to-civil) rather than a formatter: it runs once per relayed event.
package enum RFC3339 {
    package static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var whole = Int64(interval.rounded(.down))
        var micros = Int64(((interval - interval.rounded(.down)) * 1_000_000).rounded())
        if micros == 1_000_000 { whole += 1; micros = 0 }
        let days = floorDivide(whole, 86_400)
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        // Written digit by digit into the string's storage: concatenating padded pieces made
        // a dozen small strings per event.
        return String(unsafeUninitializedCapacity: 32) { text in
            var at = 0
            func digits(_ value: Int64, _ width: Int) {
                if value < 0 { text[at] = UInt8(ascii: "-"); at += 1 }  // a year before 1 BC, as PostgreSQL allows
                var value = value.magnitude
                var written = 0
                var scratch: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
                withUnsafeMutableBytes(of: &scratch) { reversed in
                    repeat {
                        reversed[written] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                        written += 1
                    } while value > 0 && written < reversed.count
                    for _ in written..<max(written, width) { text[at] = UInt8(ascii: "0"); at += 1 }
                    for index in stride(from: written - 1, through: 0, by: -1) { text[at] = reversed[index]; at += 1 }
                }
            }
            func mark(_ character: Unicode.Scalar) { text[at] = UInt8(ascii: character); at += 1 }
            digits(year, 4); mark("-"); digits(month, 2); mark("-"); digits(day, 2); mark("T")
            digits(secondOfDay / 3_600, 2); mark(":"); digits(secondOfDay % 3_600 / 60, 2); mark(":"); digits(secondOfDay % 60, 2)
            if micros > 0 {
                mark(".")
                digits(micros, 6)
                while text[at - 1] == UInt8(ascii: "0") { at -= 1 }
            }
            mark("Z")
            return at
        }
    }

    /// The calendar day (`2026-03-01`) of `date` in UTC.
    package static func day(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// Year, month, day of the proleptic Gregorian calendar for days since 1970-01-01.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
