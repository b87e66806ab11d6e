/// How a person is named by a department: a resident-id, a passport or another document.
public enum IdentityKind: String, CaseIterable, Sendable {
    case residentID = "resident-id"
    case passport
    case other
}

/// A person's identity document: kind and number, validated for its kind
/// (a resident-id by its check character and birth date, a passport as 5-20 uppercase letters and digits).
public struct Identity: Hashable, Sendable, CustomStringConvertible {
    public let kind: IdentityKind
    public let number: String

    /// Validates `number` for `kind`.
    public init(kind: IdentityKind, number: String) throws(InvalidValue) {
        switch kind {
        case .residentID:
            _ = try ResidentID(number)
        case .passport:
            let b = Array(number.utf8)
            guard (5...20).contains(b.count), b.allSatisfy(ASCII.isUpperAlnum) else {
                throw InvalidValue("a passport number is 5-20 uppercase letters A-Z and digits")
            }
        case .other:
            guard (1...64).contains(number.unicodeScalars.count) else { throw InvalidValue("a document number is 1-64 characters") }
        }
        self.kind = kind
        self.number = number
    }

    /// A resident-id identity.
    public init(_ id: ResidentID) {
        kind = .residentID
        number = id.text
    }

    /// The resident-id, when this identity is one.
    public var residentID: ResidentID? { kind == .residentID ? try? ResidentID(number) : nil }

    public var description: String { "\(kind.rawValue):\(number)" }
}
