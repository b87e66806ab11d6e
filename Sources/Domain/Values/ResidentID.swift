/// A mainland resident identity number: 6-digit region, 8-digit birth date, 3-digit sequence and
/// an ISO 7064 MOD 11-2 check character (0-9 or X). Only well-formed numbers can be held.
public struct ResidentID: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, as issued.
    public let text: String
    /// The birth date written in characters 7-14.
    public let birthDate: CalendarDate

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432".utf8)

    /// Validates length, digits, a real birth date from 1900 on, and the check character.
    public init(_ text: String) throws(InvalidValue) {
        let b = Array(text.utf8)
        guard b.count == 18, ASCII.allDigits(b[0..<17]), ASCII.isDigit(b[17]) || b[17] == 0x58 else {
            throw InvalidValue("a resident-id is 17 digits and a check character 0-9 or X (18 characters)")
        }
        let birth: CalendarDate
        do {
            birth = try CalendarDate(year: ASCII.number(b[6..<10]), month: ASCII.number(b[10..<12]), day: ASCII.number(b[12..<14]))
        } catch {
            throw InvalidValue("characters 7-14 of a resident-id must be a real birth date (YYYYMMDD): \(error.reason)")
        }
        guard birth.year >= 1900 else { throw InvalidValue("characters 7-14 of a resident-id must be a birth date from 1900 on") }
        let expected = ResidentID.checkCharacter(for: b[0..<17])
        guard b[17] == expected else {
            throw InvalidValue("the check character is wrong: the first 17 characters give \(Character(UnicodeScalar(expected))), so a digit was probably mistyped")
        }
        self.text = text
        self.birthDate = birth
    }

    /// Builds the valid number for a region prefix (6 digits), birth date and sequence (0...999).
    public static func make(regionPrefix: String, birthDate: CalendarDate, sequence: Int) throws(InvalidValue) -> ResidentID {
        guard regionPrefix.utf8.count == 6, ASCII.allDigits(regionPrefix.utf8), (0...999).contains(sequence) else {
            throw InvalidValue("a resident-id needs a 6-digit region prefix and a sequence 000-999")
        }
        let date = CalendarDate.pad(birthDate.year, 4) + CalendarDate.pad(birthDate.month, 2) + CalendarDate.pad(birthDate.day, 2)
        let body = regionPrefix + date + CalendarDate.pad(sequence, 3)
        let check = Character(UnicodeScalar(checkCharacter(for: Array(body.utf8)[...])))
        return try ResidentID(body + String(check))
    }

    /// The ISO 7064 MOD 11-2 check character of 17 digits.
    static func checkCharacter(for digits: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (digit, weight) in zip(digits, weights) { sum += Int(digit - 0x30) * weight }
        return checkCharacters[sum % 11]
    }

    /// Digits 1-6: the county-level region where the number was first issued.
    public var regionPrefix: String { String(text.prefix(6)) }

    /// Digits 15-17.
    public var sequence: Int { ASCII.number(Array(text.utf8)[14..<17]) }

    public var description: String { text }
}
