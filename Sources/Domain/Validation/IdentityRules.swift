extension Identity: JSONObjectCodable {
    static let objectName = "identity (type, number)"
    /// Any string: the number is checked against its type below.
    static let numberRule = FieldRule<String>.fromString { (s: String) throws(InvalidValue) -> String in s }

    /// `$defs/identityShape`: type and number required; the number is checked for its type only
    /// when the type is known, as the schema's if/then does.
    static func read(_ reader: inout ObjectReader) -> Identity? {
        let kind = reader.required("type", .oneOf(IdentityKind.self))
        let number = reader.required("number", numberRule)
        guard let kind, let number else { return nil }
        do {
            return try Identity(kind: kind, number: number)
        } catch {
            reader.errors.append(ValidationError(field: JSONPointer.appending(reader.pointer, "number"), reason: error.reason))
            return nil
        }
    }

    var jsonMembers: [String: JSONValue] { ["type": .string(kind.rawValue), "number": .string(number)] }
}

extension FieldRule where T == Identity {
    /// `$defs/identity`.
    static let identity = FieldRule.object(Identity.self)
}

/// Who a service is for, when not the requester: a household member by name or by identity.
public enum Beneficiary: Hashable, Sendable {
    case name(String)
    case identity(Identity)

    var json: JSONValue {
        switch self {
        case .name(let n): .string(n)
        case .identity(let i): i.json
        }
    }
}

extension FieldRule where T == Beneficiary {
    /// `beneficiary`: `type: [string, object]`, string 1-100 characters, object an identity.
    static let beneficiary = FieldRule<Beneficiary> { value, at, errors in
        switch value.kind {
        case .string:
            FieldRule<String>.personName.read(value, at, &errors).map(Beneficiary.name)
        case .object:
            FieldRule<Identity>.identity.read(value, at, &errors).map(Beneficiary.identity)
        default:
            { errors.append(ValidationError(field: at.pointer, reason: "must be a household member's name (a string) or an identity object, got \(value.kindName)")); return nil }()
        }
    }
}

extension Identity: CanonicalJSONWritable {
    /// `{"number": …, "type": …}`; the number is personal.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            try w.member("number", personal: number)
            w.member("type", kind.rawValue)
        }
    }
}

extension Beneficiary: CanonicalJSONWritable {
    /// A name (personal, the requester's: a name alone names no one the store knows) or an
    /// identity (the beneficiary's own).
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        switch self {
        case .name(let name): try w.writePersonal(name)
        case .identity(let identity): try w.personalStrings(of: identity) { try identity.writeCanonical(&$0) }
        }
    }
}
