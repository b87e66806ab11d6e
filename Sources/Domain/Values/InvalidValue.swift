/// Why a piece of text is not a valid domain value; the reason is a sentence a sender can act on.
public struct InvalidValue: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and, where it helps, what a right value looks like.
    public let reason: String

    /// Creates the error with its reason.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// ASCII helpers shared by the value types (they check bytes, so no locale or Unicode digit ever slips in).
enum ASCII {
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLowerAlnum(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x61 && b <= 0x7A) }
    static func isUpperAlnum(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x41 && b <= 0x5A) }
    static func allDigits<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 { bytes.allSatisfy(isDigit) }

    /// The number written by some ASCII digits (the caller has checked they are digits).
    static func number<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// `lowercase-code-with-single-hyphens`: letters a-z, digits, hyphens only between them.
    static func isHyphenatedCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, first != 0x2D, last != 0x2D else { return false }
        var previousHyphen = false
        for b in bytes {
            if b == 0x2D {
                if previousHyphen { return false }
                previousHyphen = true
            } else if ASCII.isLowerAlnum(b) {
                previousHyphen = false
            } else {
                return false
            }
        }
        return true
    }
}
