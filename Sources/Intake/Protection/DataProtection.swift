import Crypto
import Domain
import Foundation
import Store

/// The keys derived from the master key (`ONEWINDOW_DATA_KEY`): one wraps per-person data keys,
/// the other keys the blind index of identity numbers. The master key itself is used for
/// nothing else, and neither derived key is ever stored.
public struct DataProtection: Sendable {
    let wrappingKey: SymmetricKey
    let blindIndexKey: SymmetricKey
    /// HMAC-SHA256 with the blind-index key already absorbed: each identity copies it instead of
    /// deriving the padded key blocks again (≈ half of the hash's cost).
    let blindIndexHMAC: HMAC<SHA256>

    /// Derives the keys (HKDF-SHA256) from the master secret, which must be at least 32 bytes.
    public init(masterKey: String) throws(DataProtectionError) {
        try self.init(masterKey: Array(masterKey.utf8))
    }

    /// From the decoded bytes of `ONEWINDOW_DATA_KEY` (32 random bytes, base64 in the environment).
    public init(masterKey data: Data) throws(DataProtectionError) {
        try self.init(masterKey: Array(data))
    }

    public init(masterKey bytes: [UInt8]) throws(DataProtectionError) {
        guard bytes.count >= 32 else { throw .masterKeyTooShort }
        let master = SymmetricKey(data: bytes)
        let salt = Array("onewindow".utf8)
        wrappingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: salt, info: Array("person-key-wrap.v1".utf8), outputByteCount: 32)
        blindIndexKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: salt, info: Array("identity-blind-index.v1".utf8), outputByteCount: 32)
        blindIndexHMAC = HMAC<SHA256>(key: blindIndexKey)
    }

    /// The keyed hash (HMAC-SHA256) that finds a person by identity without storing the number.
    public func blindIndex(of identity: Identity) -> BlindHash {
        var message = Array(identity.kind.rawValue.utf8)
        message.append(0)
        message.append(contentsOf: identity.number.uppercased().utf8)
        var hmac = blindIndexHMAC
        hmac.update(data: message)
        return hmac.finalize().withUnsafeBytes { BlindHash($0)! }  // SHA-256: always 32 bytes
    }

    /// The blind index of many identities, keyed once (for one task; the intake makes one per batch).
    package func blindIndexer() throws(DataProtectionError) -> BlindIndexer { try BlindIndexer(key: blindIndexKey) }

    /// A fresh data key for a new person (256 random bits).
    public func newPersonKey() -> SymmetricKey { RandomPool.shared.key() }

    /// Wraps a person's data key for storage: AES-GCM seal under the wrapping key, bound to the
    /// person id (as authenticated data) so a wrapped key cannot be moved to another person.
    /// For many keys, use one ``keyWrapper()``.
    public func wrap(_ key: SymmetricKey, for person: UUID) throws(DataProtectionError) -> Data {
        try keyWrapper().wrap(key, for: person)
    }

    /// Unwraps a stored data key; fails when the master key or the person does not match.
    public func unwrap(_ wrapped: Data, for person: UUID) throws(DataProtectionError) -> SymmetricKey {
        try keyWrapper().unwrap(wrapped, for: person)
    }

    /// Wraps and unwraps many keys with the wrapping key scheduled once (for one task).
    package func keyWrapper() -> KeyWrapper { KeyWrapper(wrappingKey: wrappingKey) }
}

/// What can go wrong with keys. Descriptions never carry key material or personal data.
public enum DataProtectionError: Error, Sendable, CustomStringConvertible {
    case masterKeyTooShort
    case sealFailed
    case unwrapFailed
    case openFailed
    case blindIndexFailed

    public var description: String {
        switch self {
        case .masterKeyTooShort: "ONEWINDOW_DATA_KEY must be at least 32 bytes"
        case .sealFailed: "encryption failed"
        case .unwrapFailed: "a person's data key could not be unwrapped (wrong master key?)"
        case .openFailed: "a personal field could not be decrypted (wrong key, or erased person)"
        case .blindIndexFailed: "an identity's blind index could not be computed (OpenSSL's HMAC failed)"
        }
    }
}
