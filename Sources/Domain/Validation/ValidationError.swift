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

/// Where a member sits: its parent's JSON pointer and its own key or index. The pointer text
/// is built only when a problem has to name it, so reading a valid event builds none.
struct FieldPath: Sendable {
    enum Token: Sendable {
        case none
        case key(String)
        case index(Int)
    }

    let parent: String
    let token: Token

    /// The document itself (`""`) or an object whose pointer is already known.
    init(_ pointer: String) { (parent, token) = (pointer, .none) }
    init(_ parent: String, key: String) { (self.parent, token) = (parent, .key(key)) }
    init(_ parent: String, index: Int) { (self.parent, token) = (parent, .index(index)) }

    /// The RFC 6901 pointer.
    var pointer: String {
        switch token {
        case .none: parent
        case .key(let key): JSONPointer.appending(parent, key)
        case .index(let index): JSONPointer.appending(parent, index)
        }
    }
}

/// JSON pointer building (RFC 6901 escaping of `~` and `/`).
enum JSONPointer {
    static func appending(_ base: String, _ token: String) -> String {
        // Almost every key needs no escape: join the UTF-8 as it is, without walking characters.
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return base + "/" + token
        }
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
