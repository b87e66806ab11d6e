import Crypto
import Domain
import Foundation

/// Which parts of an event's `data` are personal (names, identity numbers, phone numbers, a
/// household member's name and identity, a service's beneficiary), and how they are sealed:
/// each string becomes `"enc:v1:" + base64(nonce ‖ ciphertext ‖ tag)`, AES-GCM under the
/// person's data key, so the structure of `data` stays readable while the values do not.
public enum PersonalFields {
    static let prefix = "enc:v1:"

    /// Encrypts the personal fields of `data` (the `data` object of an event) with `key`.
    public static func protect(_ data: JSONValue, with key: SymmetricKey) throws(DataProtectionError) -> JSONValue {
        let sealer = try GCMSealer(key: key)
        return try transform(data) { (text: String) throws(DataProtectionError) -> String in
            var sealed = Array(prefix.utf8)
            try sealer.appendSealed(text, to: &sealed)
            return String(decoding: sealed, as: UTF8.self)
        }
    }

    /// What ``protect(_:with:)`` returns, written straight as compact JSON with sorted keys
    /// (the bytes the store keeps), without building the sealed copy of the tree first.
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
    /// `data`: the same members ``Kind`` names, in the same format as ``protectedJSON(_:with:)``.
    package struct Sealer: PersonalTextWriter {
        let sealer: GCMSealer

        package init(key: SymmetricKey) throws(DataProtectionError) { sealer = try GCMSealer(key: key) }

        package func write(personal text: String, into out: inout [UInt8]) throws {
            try writeSealed(text, with: sealer, into: &out)
        }
    }

    /// Decrypts what ``protect(_:with:)`` sealed (for projectors and authorized readers).
    public static func reveal(_ data: JSONValue, with key: SymmetricKey) throws(DataProtectionError) -> JSONValue {
        try transform(data) { (text: String) throws(DataProtectionError) -> String in
            guard text.hasPrefix(prefix), let combined = Data(base64Encoded: String(text.dropFirst(prefix.count))) else { return text }
            do {
                let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key)
                return String(decoding: plain, as: UTF8.self)
            } catch {
                throw .openFailed
            }
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

    typealias Seal = (String) throws(DataProtectionError) -> String

    static func transform(_ data: JSONValue, _ seal: Seal) throws(DataProtectionError) -> JSONValue {
        guard case .object(var members) = data else { return data }
        for (name, value) in members {
            if let kind = Kind(member: name) { members[name] = try transform(value, as: kind, seal) }
        }
        return .object(members)
    }

    static func transform(_ value: JSONValue, as kind: Kind, _ seal: Seal) throws(DataProtectionError) -> JSONValue {
        switch (kind, value) {
        case (.text, .string(let text)), (.textOrIdentity, .string(let text)):
            return .string(try seal(text))
        case (.identity, .object(var identity)), (.textOrIdentity, .object(var identity)):
            if case .string(let number)? = identity["number"] { identity["number"] = .string(try seal(number)) }
            return .object(identity)
        case (.household, .array(let household)):
            var sealed: [JSONValue] = []
            sealed.reserveCapacity(household.count)
            for member in household {
                guard case .object(var m) = member else { sealed.append(member); continue }
                for (name, value) in m {
                    if let kind = Kind(householdMember: name) { m[name] = try transform(value, as: kind, seal) }
                }
                sealed.append(.object(m))
            }
            return .array(sealed)
        default:
            return value
        }
    }

    /// ``transform(_:as:_:)`` with ``protect(_:with:)``'s sealing, written as JSON.
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
