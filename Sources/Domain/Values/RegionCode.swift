/// The five levels of the statistical division code, from the widest.
public enum RegionLevel: Int, Comparable, CaseIterable, Sendable {
    case province = 1, city, county, township, village

    /// How many of the 12 digits name this level (2, 4, 6, 9, 12).
    public var digits: Int { [0, 2, 4, 6, 9, 12][rawValue] }

    public static func < (a: RegionLevel, b: RegionLevel) -> Bool { a.rawValue < b.rawValue }
}

/// A 12-digit statistical division code: 2 digits province, 2 city, 2 county, 3 township, 3 village.
/// Trailing all-zero parts name a higher level (`320500000000` is a city); a zero part followed by
/// a non-zero one is not a code.
public struct RegionCode: Hashable, Sendable, CustomStringConvertible {
    /// The 12 digits.
    public let text: String
    /// The level this code names (the deepest non-zero part).
    public let level: RegionLevel

    /// Validates 12 ASCII digits and the zero rule above.
    public init(_ text: String) throws(InvalidValue) {
        let b = Array(text.utf8)
        guard b.count == 12, ASCII.allDigits(b) else { throw InvalidValue("a region code is exactly 12 digits") }
        var level: RegionLevel?
        var sawZeroPart = false
        for candidate in RegionLevel.allCases {
            let start = candidate == .province ? 0 : RegionLevel(rawValue: candidate.rawValue - 1)!.digits
            let part = b[start..<candidate.digits]
            if part.allSatisfy({ $0 == 0x30 }) {
                if candidate == .province { throw InvalidValue("a region code cannot start with province 00") }
                sawZeroPart = true
            } else {
                if sawZeroPart {
                    throw InvalidValue("the \(candidate) part is set but a wider part before it is zero; a zero part may only be followed by zeros")
                }
                level = candidate
            }
        }
        self.text = text
        self.level = level!
    }

    /// The code of the region at `wider` that contains this one (this code itself at its own level);
    /// nil when `wider` is narrower than this code's level.
    public func prefix(at wider: RegionLevel) -> RegionCode? {
        guard wider <= level else { return nil }
        let kept = String(text.prefix(wider.digits))
        return try? RegionCode(kept + String(repeating: "0", count: 12 - wider.digits))
    }

    public var province: RegionCode { prefix(at: .province)! }
    public var city: RegionCode? { prefix(at: .city) }
    public var county: RegionCode? { prefix(at: .county) }
    public var township: RegionCode? { prefix(at: .township) }
    public var village: RegionCode? { prefix(at: .village) }

    /// Whether `other` lies within this region (a region contains itself).
    public func contains(_ other: RegionCode) -> Bool {
        other.level >= level && other.text.hasPrefix(text.prefix(level.digits))
    }

    public var description: String { text }
}
