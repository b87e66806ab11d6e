import Domain
import Foundation

/// A CloudEvents attribute value: the types an extension attribute may hold.
enum ExtensionValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    /// Anything else (objects, arrays, fractions, null): not an attribute, skipped.
    case unsupported

    init(_ value: JSONNode) {
        switch value.kind {
        case .string: self = value.stringValue.map(ExtensionValue.string) ?? .unsupported
        case .false: self = .boolean(false)
        case .true: self = .boolean(true)
        case .number: self = value.integerValue.map { .integer(Int64($0)) } ?? .unsupported
        case .null, .array, .object: self = .unsupported
        }
    }

    /// The members of a metadata object that can be extension attributes: a valid name
    /// (`[a-z0-9]{1,20}`) and a string, integer or boolean value; sorted by name so that a
    /// re-published event is byte-identical. Metadata that is not a JSON object gives none.
    /// Members named so that `excluded` is true are left out before their value is read.
    static func extensions(fromMetadata metadata: Data, excluding excluded: (String) -> Bool) -> [(String, ExtensionValue)] {
        guard metadata.count > 2,  // "{}" is the common case
              let members = try? JSONDocument.parse(metadata).root
        else { return [] }
        var attributes: [(String, ExtensionValue)] = []
        members.forEachMember { name, member in
            guard isAttributeName(name), !excluded(name) else { return }
            let value = ExtensionValue(member)
            if value != .unsupported { attributes.append((name, value)) }
        }
        // Written sorted by the intake: sorted only when they are not.
        if zip(attributes, attributes.dropFirst()).allSatisfy({ $0.0 < $1.0 }) { return attributes }
        return attributes.sorted { $0.0 < $1.0 }
    }

    /// CloudEvents 1.0: lower-case ASCII letters and digits, at most 20.
    static func isAttributeName(_ name: String) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && bytes.count <= 20
            && bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }
}
