/// A validated PostgreSQL schema name (`^[a-z_][a-z0-9_]*$`, at most 63 bytes).
///
/// Identifiers cannot be bound as query parameters, so every schema name that reaches SQL text
/// passes through this type once, at configuration time; nothing else is ever spliced into SQL.
public struct SchemaName: Sendable, Hashable, CustomStringConvertible {
    /// The identifier as it appears in SQL.
    public let rawValue: String

    /// Validates `rawValue`; throws ``StoreError/invalidSchemaName`` when it is not a plain
    /// lower-case identifier.
    public init(_ rawValue: String) throws(StoreError) {
        guard Self.isValid(rawValue) else { throw .invalidSchemaName }
        self.rawValue = rawValue
    }

    /// The event store's schema in production.
    public static let store = SchemaName(trusted: "store")

    public var description: String { rawValue }

    init(trusted rawValue: String) {
        precondition(Self.isValid(rawValue), "invalid built-in schema name")
        self.rawValue = rawValue
    }

    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        let isLetter = { (b: UInt8) in (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || b == UInt8(ascii: "_") }
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        return isLetter(first) && bytes.dropFirst().allSatisfy { isLetter($0) || isDigit($0) }
    }
}
