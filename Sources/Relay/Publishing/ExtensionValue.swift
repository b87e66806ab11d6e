import Foundation

/// A CloudEvents attribute value: the types an extension attribute may hold.
enum ExtensionValue: Sendable, Equatable, Decodable {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    /// Anything else (objects, arrays, fractions, null): not an attribute, skipped.
    case unsupported

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .unsupported
        }
    }

    /// The members of a metadata object that can be extension attributes: a valid name
    /// (`[a-z0-9]{1,20}`) and a string, integer or boolean value; sorted by name so that a
    /// re-published event is byte-identical. Metadata that is not a JSON object gives none.
    static func extensions(fromMetadata metadata: Data) -> [(String, ExtensionValue)] {
        guard metadata.count > 2,  // "{}" is the common case
              let members = try? JSONDecoder().decode([String: ExtensionValue].self, from: metadata)
        else { return [] }
        return members
            .filter { isAttributeName($0.key) && $0.value != .unsupported }
            .sorted { $0.key < $1.key }
    }

    /// CloudEvents 1.0: lower-case ASCII letters and digits, at most 20.
    static func isAttributeName(_ name: String) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && bytes.count <= 20
            && bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }
}
