import Foundation

/// An RFC 3339 timestamp with an explicit offset, as CloudEvents' `time` carries it. Keeps the
/// sender's text (re-published unchanged) and the instant it names.
public struct EventTime: Hashable, Sendable, CustomStringConvertible {
    /// The text as received.
    public let text: String
    /// The local calendar date in the sender's offset.
    public let localDate: CalendarDate
    /// The instant, as seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Double

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; seconds 00-59, at most 9 fraction digits.
    public init(_ text: String) throws(InvalidValue) {
        let problem = InvalidValue("is not an RFC 3339 time with an offset, like 2026-03-01T09:30:00+08:00")
        let b = Array(text.utf8)
        guard b.count >= 20, b.count <= 40, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74,
              b[13] == 0x3A, b[16] == 0x3A,
              ASCII.allDigits(b[11..<13]), ASCII.allDigits(b[14..<16]), ASCII.allDigits(b[17..<19]) else { throw problem }
        let date = try CalendarDate(iso: String(decoding: b[0..<10], as: UTF8.self))
        let (h, m, s) = (ASCII.number(b[11..<13]), ASCII.number(b[14..<16]), ASCII.number(b[17..<19]))
        guard h <= 23, m <= 59, s <= 59 else { throw InvalidValue("has an hour, minute or second out of range") }
        var i = 19
        var fraction = 0.0
        if b[i] == 0x2E {
            let start = i + 1
            var end = start
            while end < b.count, ASCII.isDigit(b[end]) { end += 1 }
            guard (1...9).contains(end - start) else { throw problem }
            fraction = Double(ASCII.number(b[start..<end])) / pow(10, Double(end - start))
            i = end
        }
        var offset = 0
        if i == b.count - 1, b[i] == 0x5A || b[i] == 0x7A {
            offset = 0
        } else if i == b.count - 6, b[i] == 0x2B || b[i] == 0x2D, b[i + 3] == 0x3A,
                  ASCII.allDigits(b[(i + 1)..<(i + 3)]), ASCII.allDigits(b[(i + 4)..<(i + 6)]) {
            let (oh, om) = (ASCII.number(b[(i + 1)..<(i + 3)]), ASCII.number(b[(i + 4)..<(i + 6)]))
            guard oh <= 23, om <= 59 else { throw InvalidValue("has an offset out of range") }
            offset = (b[i] == 0x2B ? 1 : -1) * (oh * 3600 + om * 60)
        } else {
            throw problem
        }
        self.text = text
        self.localDate = date
        self.secondsSinceEpoch = Double(date.daysSinceEpoch * 86_400 + h * 3600 + m * 60 + s - offset) + fraction
    }

    /// The instant as a Foundation date.
    public var date: Date { Date(timeIntervalSince1970: secondsSinceEpoch) }

    public var description: String { text }
}
