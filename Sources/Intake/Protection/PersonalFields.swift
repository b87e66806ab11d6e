import Crypto
import Domain
import Foundation

/// Which parts of an event's `data` are personal (names, identity numbers, phone numbers, a
/// household member's name and identity, a service's beneficiary), and how they are sealed:
/// each string becomes `"enc:v1:" + base64(nonce ‖ ciphertext ‖ tag)`, AES-GCM under the data
/// key of the event's person, so the structure of `data` stays readable while the values do not.
///
/// A household member or a beneficiary named by identity is a person of their own: their
/// strings are sealed under *their* key and say whose it is,
/// `"enc:v1:<personId>:" + base64(…)`, so that erasing them erases them in other people's
/// events too. (A member without an identity, or a beneficiary named only by name, cannot be
/// told apart from the subject's household and stays under the subject's key.)
public enum PersonalFields {
    static let prefix = "enc:v1:"

    /// A person other than the event's subject, with their data key: whose strings an event holds.
    public struct Holder: Sendable {
        public let person: UUID
        public let key: SymmetricKey

        public init(person: UUID, key: SymmetricKey) { (self.person, self.key) = (person, key) }
    }

    /// Encrypts the personal fields of `data` (the `data` object of an event) with `key`, those
    /// of the people in `others` (household members, a beneficiary, found by their identity)
    /// with theirs.
    public static func protect(_ data: JSONValue, with key: SymmetricKey, others: [Identity: Holder] = [:]) throws(DataProtectionError) -> JSONValue {
        let sealer = try Sealer(key: key, others: others)
        return try transform(data) { (text: String, identity: Identity?) throws(DataProtectionError) -> (JSONValue, UUID?) in
            var sealed: [UInt8] = []
            try sealer.appendSealed(text, of: identity, to: &sealed)
            return (.string(String(decoding: sealed, as: UTF8.self)), nil)
        }
    }

    /// What ``protect(_:with:others:)`` returns without others, written straight as compact
    /// JSON with sorted keys (the bytes the store keeps), without building the sealed copy of
    /// the tree first.
    public static func protectedJSON(_ data: JSONValue, with key: SymmetricKey) throws(DataProtectionError) -> [UInt8] {
        guard case .object(let members) = data else { return data.encoded() }
        let sealer = try GCMSealer(key: key)
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        try JSONValue.writeObject(members, into: &out) { (name, value, out) throws(DataProtectionError) -> Bool in
            guard let kind = Kind(member: name) else { return false }
            try write(value, as: kind, with: sealer, into: &out)
            return true
        }
        return out
    }

    /// Seals the personal strings ``CanonicalJSON`` meets while it writes a typed event's
    /// `data`: the same members ``Kind`` names, in the same format as ``protect(_:with:others:)``.
    package struct Sealer: PersonalTextWriter {
        let sealer: GCMSealer
        /// The other people of the event (by the identity the event names them with), each with
        /// a sealer under their key.
        let others: [Identity: (person: UUID, sealer: GCMSealer)]

        package init(key: SymmetricKey, others: [Identity: Holder] = [:]) throws(DataProtectionError) {
            sealer = try GCMSealer(key: key)
            var sealers: [Identity: (person: UUID, sealer: GCMSealer)] = [:]
            for (identity, holder) in others { sealers[identity] = (holder.person, try GCMSealer(key: holder.key)) }
            self.others = sealers
        }

        package func write(personal text: String, of holder: Identity?, into out: inout [UInt8]) throws {
            out.append(UInt8(ascii: "\""))
            try appendSealed(text, of: holder, to: &out)
            out.append(UInt8(ascii: "\""))
        }

        /// Appends `enc:v1:…` of `text` (unquoted), sealed under the key of the person `holder`
        /// names when they are one of the others (`enc:v1:<personId>:…`), else the subject's.
        func appendSealed(_ text: String, of holder: Identity?, to out: inout [UInt8]) throws(DataProtectionError) {
            out.append(contentsOf: prefix.utf8)
            guard let holder, let other = others[holder] else { return try sealer.appendSealed(text, to: &out) }
            out.append(contentsOf: other.person.lowercasedString.utf8)
            out.append(UInt8(ascii: ":"))
            try other.sealer.appendSealed(text, to: &out)
        }
    }

    /// Decrypts what ``protect(_:with:others:)`` sealed (for projectors and authorized readers):
    /// the subject's strings with `key`, another person's with their key from `others`. A string
    /// whose key is not given (an erased person) becomes null. Each object that held another
    /// person's strings gains that person's id as `personid` (`null` values included), so a view
    /// can drop them when that person is erased. Throws when a key does not open its strings.
    public static func reveal(_ data: JSONValue, with key: SymmetricKey?, others: [UUID: SymmetricKey] = [:]) throws(DataProtectionError) -> JSONValue {
        try transform(data) { (text: String, _: Identity?) throws(DataProtectionError) -> (JSONValue, UUID?) in
            guard let sealed = Sealed(text) else { return (.string(text), nil) }
            let opener = if let holder = sealed.holder { others[holder] } else { key }
            guard let opener else { return (.null, sealed.holder) }
            do {
                let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed.combined), using: opener)
                return (.string(String(decoding: plain, as: UTF8.self)), sealed.holder)
            } catch {
                throw .openFailed
            }
        }
    }

    /// The people other than the subject whose keys sealed strings of `data` (to fetch their keys
    /// before ``reveal(_:with:others:)``).
    public static func holders(in data: JSONValue) -> Set<UUID> {
        var found: Set<UUID> = []
        _ = try? transform(data) { (text: String, _: Identity?) throws(DataProtectionError) -> (JSONValue, UUID?) in
            if let holder = Sealed(text)?.holder { found.insert(holder) }
            return (.string(text), nil)
        }
        return found
    }

    /// A sealed string taken apart: whose key (nil: the subject's) and the sealed bytes.
    struct Sealed {
        let holder: UUID?
        let combined: Data

        init?(_ text: String) {
            guard text.hasPrefix(PersonalFields.prefix) else { return nil }
            var rest = Substring(text.utf8.dropFirst(PersonalFields.prefix.utf8.count))
            if rest.utf8.count > 37, rest.utf8[rest.utf8.index(rest.utf8.startIndex, offsetBy: 36)] == UInt8(ascii: ":") {
                // base64 has no ':', so a colon at 36 can only end a person id.
                guard let person = UUID(uuidString: String(rest.prefix(36))) else { return nil }
                holder = person
                rest = rest.dropFirst(37)
            } else {
                holder = nil
            }
            guard let combined = Data(base64Encoded: String(rest)) else { return nil }
            self.combined = combined
        }
    }

    /// What is personal in a member of `data`: the one table of personal fields, the same
    /// members for every event type that has them.
    enum Kind {
        /// The string itself (`name`, `phone`).
        case text
        /// The `number` of an identity object (`identity`).
        case identity
        /// A name or an identity object (`beneficiary`).
        case textOrIdentity
        /// An array of household members, each with a `name` and an `identity`.
        case household

        init?(member name: String) {
            switch name {
            case "name", "phone": self = .text
            case "identity": self = .identity
            case "beneficiary": self = .textOrIdentity
            case "household": self = .household
            default: return nil
            }
        }

        /// Within one household member.
        init?(householdMember name: String) {
            switch name {
            case "name": self = .text
            case "identity": self = .identity
            default: return nil
            }
        }
    }

    /// What becomes of one personal string: its new value and, for a string of a person other
    /// than the subject, that person. `identity` is whose the structure says it is (a household
    /// member's or a beneficiary's identity), nil for the subject's.
    typealias Visit = (_ text: String, _ identity: Identity?) throws(DataProtectionError) -> (JSONValue, UUID?)

    static func transform(_ data: JSONValue, _ visit: Visit) throws(DataProtectionError) -> JSONValue {
        guard case .object(var members) = data else { return data }
        for (name, value) in members {
            if let kind = Kind(member: name) { members[name] = try transform(value, as: kind, of: nil, visit).value }
        }
        return .object(members)
    }

    /// `value` transformed as `kind`, and the other person whose strings it held (the object's
    /// `personid` then, when it is an object).
    static func transform(_ value: JSONValue, as kind: Kind, of holder: Identity?, _ visit: Visit) throws(DataProtectionError) -> (value: JSONValue, holder: UUID?) {
        switch (kind, value) {
        case (.text, .string(let text)), (.textOrIdentity, .string(let text)):
            let (visited, person) = try visit(text, holder)
            return (visited, person)
        case (.identity, .object(var identity)), (.textOrIdentity, .object(var identity)):
            // A beneficiary's identity is their own; an identity elsewhere is its holder's.
            let owner = kind == .textOrIdentity ? Self.identity(of: identity) : holder
            guard case .string(let number)? = identity["number"] else { return (value, nil) }
            let (visited, person) = try visit(number, owner)
            identity["number"] = visited
            if let person { identity["personid"] = .string(person.lowercasedString) }
            return (.object(identity), person)
        case (.household, .array(let household)):
            var sealed: [JSONValue] = []
            sealed.reserveCapacity(household.count)
            for member in household {
                guard case .object(var m) = member else { sealed.append(member); continue }
                let owner = m["identity"].flatMap { if case .object(let i) = $0 { Self.identity(of: i) } else { nil } }
                var memberHolder: UUID?
                for (name, value) in m {
                    guard let kind = Kind(householdMember: name) else { continue }
                    let (visited, person) = try transform(value, as: kind, of: owner, visit)
                    m[name] = visited
                    memberHolder = memberHolder ?? person
                }
                if let memberHolder { m["personid"] = .string(memberHolder.lowercasedString) }
                sealed.append(.object(m))
            }
            return (.array(sealed), nil)
        default:
            return (value, nil)
        }
    }

    /// The identity an identity object names, if it is a valid one.
    static func identity(of object: [String: JSONValue]) -> Identity? {
        guard case .string(let type)? = object["type"], let kind = IdentityKind(rawValue: type),
              case .string(let number)? = object["number"] else { return nil }
        return try? Identity(kind: kind, number: number)
    }

    /// ``transform(_:as:of:_:)`` with ``protect(_:with:others:)``'s sealing (no others), written as JSON.
    static func write(_ value: JSONValue, as kind: Kind, with sealer: GCMSealer, into out: inout [UInt8]) throws(DataProtectionError) {
        switch (kind, value) {
        case (.text, .string(let text)), (.textOrIdentity, .string(let text)):
            try writeSealed(text, with: sealer, into: &out)
        case (.identity, .object(let identity)), (.textOrIdentity, .object(let identity)):
            try JSONValue.writeObject(identity, into: &out) { (name, value, out) throws(DataProtectionError) -> Bool in
                guard name == "number", case .string(let number) = value else { return false }
                try writeSealed(number, with: sealer, into: &out)
                return true
            }
        case (.household, .array(let household)):
            out.append(UInt8(ascii: "["))
            for (n, member) in household.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                guard case .object(let m) = member else { member.write(into: &out); continue }
                try JSONValue.writeObject(m, into: &out) { (name, value, out) throws(DataProtectionError) -> Bool in
                    guard let kind = Kind(householdMember: name) else { return false }
                    try write(value, as: kind, with: sealer, into: &out)
                    return true
                }
            }
            out.append(UInt8(ascii: "]"))
        default:
            value.write(into: &out)
        }
    }

    /// Writes `"enc:v1:…"` (a JSON string; base64 needs no escaping).
    static func writeSealed(_ text: String, with sealer: GCMSealer, into out: inout [UInt8]) throws(DataProtectionError) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: prefix.utf8)
        try sealer.appendSealed(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }
}
