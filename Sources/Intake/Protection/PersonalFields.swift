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
        try transform(data) { (text: String) throws(DataProtectionError) -> String in
            do {
                let box = try AES.GCM.seal(Data(text.utf8), using: key)
                return prefix + box.combined!.base64EncodedString()
            } catch {
                throw .sealFailed
            }
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

    typealias Seal = (String) throws(DataProtectionError) -> String

    /// The one table of personal fields; the same members for every event type that has them.
    static func transform(_ data: JSONValue, _ seal: Seal) throws(DataProtectionError) -> JSONValue {
        guard case .object(var members) = data else { return data }
        for name in ["name", "phone"] { members[name] = try sealString(members[name], seal) }
        members["identity"] = try sealIdentity(members["identity"], seal)
        if let beneficiary = members["beneficiary"] {
            if beneficiary.stringValue != nil {
                members["beneficiary"] = try sealString(beneficiary, seal)
            } else {
                members["beneficiary"] = try sealIdentity(beneficiary, seal)
            }
        }
        if case .array(let household)? = members["household"] {
            var sealed: [JSONValue] = []
            for member in household {
                guard case .object(var m) = member else { sealed.append(member); continue }
                m["name"] = try sealString(m["name"], seal)
                m["identity"] = try sealIdentity(m["identity"], seal)
                sealed.append(.object(m))
            }
            members["household"] = .array(sealed)
        }
        return .object(members)
    }

    static func sealString(_ value: JSONValue?, _ seal: Seal) throws(DataProtectionError) -> JSONValue? {
        guard let value else { return nil }
        guard case .string(let text) = value else { return value }
        return .string(try seal(text))
    }

    static func sealIdentity(_ value: JSONValue?, _ seal: Seal) throws(DataProtectionError) -> JSONValue? {
        guard case .object(var identity)? = value else { return value }
        identity["number"] = try sealString(identity["number"], seal)
        return .object(identity)
    }
}
