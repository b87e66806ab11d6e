/// One problem with an incoming event: the field as a JSON pointer into the envelope
/// (`/data/identity/number`, `""` for the whole document) and a sentence the sender can act on.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

/// Every problem found in one event (never empty), sorted by field.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let errors: [ValidationError]

    init(_ errors: [ValidationError]) {
        precondition(!errors.isEmpty, "a failure names at least one problem")
        self.errors = errors.sorted { ($0.field, $0.reason) < ($1.field, $1.reason) }
    }

    /// The problem to show when only one fits (the rejected topic's `reason`/`field`).
    public var first: ValidationError { errors[0] }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// JSON pointer building (RFC 6901 escaping of `~` and `/`).
enum JSONPointer {
    static func appending(_ base: String, _ token: String) -> String {
        var out = base + "/"
        for c in token {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }

    static func appending(_ base: String, _ index: Int) -> String { base + "/" + String(index) }
}
