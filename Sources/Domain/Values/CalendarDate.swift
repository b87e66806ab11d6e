/// A day in the proleptic Gregorian calendar (year 1 to 9999), with no time zone: birth dates,
/// arrival dates, permit validity. It can only hold days that exist.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A validated date; throws when the day does not exist (2026-02-30) or the year is outside 1...9999.
    public init(year: Int, month: Int, day: Int) throws(InvalidValue) {
        guard (1...9999).contains(year) else { throw InvalidValue("year \(year) is outside 0001-9999") }
        guard (1...12).contains(month) else { throw InvalidValue("month \(month) does not exist; months are 01-12") }
        let last = CalendarDate.daysIn(month: month, year: year)
        guard (1...last).contains(day) else {
            throw InvalidValue("day \(day) does not exist in \(year)-\(CalendarDate.pad(month, 2)), which has \(last) days")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, no time, no offset).
    public init(iso text: String) throws(InvalidValue) {
        // Read in place (an array of the bytes was an allocation per date of every event).
        var text = text
        let parts: (Int, Int, Int)? = text.withUTF8 { b in
            guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
                  ASCII.allDigits(b[0..<4]), ASCII.allDigits(b[5..<7]), ASCII.allDigits(b[8..<10]) else { return nil }
            return (ASCII.number(b[0..<4]), ASCII.number(b[5..<7]), ASCII.number(b[8..<10]))
        }
        guard let (year, month, day) = parts else { throw InvalidValue("is not a date in the form YYYY-MM-DD") }
        try self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (negative before), for day arithmetic.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier when negative); nil when that leaves years 1...9999.
    public func adding(days: Int) -> CalendarDate? {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from this date to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Completed years of age on `date` for someone born on this date (29 February birthdays count on 1 March).
    public func age(on date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// The date with the given day number (see `daysSinceEpoch`).
    public init?(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        guard let date = try? CalendarDate(year: y, month: m, day: d) else { return nil }
        self = date
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `YYYY-MM-DD`.
    public var description: String {
        // Digit by digit into a small string (the year is 1...9999): interpolating padded
        // pieces made several strings per date, and every event writes one or two.
        String(unsafeUninitializedCapacity: 10) { text in
            func digits(_ value: Int, at end: Int, width: Int) {
                var value = value
                for i in stride(from: end - 1, through: end - width, by: -1) {
                    text[i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            digits(year, at: 4, width: 4)
            text[4] = UInt8(ascii: "-")
            digits(month, at: 7, width: 2)
            text[7] = UInt8(ascii: "-")
            digits(day, at: 10, width: 2)
            return 10
        }
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
