import COpenSSL
import Crypto
import Domain
import Store

/// The blind index of many identities (a batch's): HMAC-SHA256 under the blind-index key through
/// OpenSSL's `EVP_MAC`, keyed once, each identity starting from the keyed state again
/// (`EVP_MAC_init` without a key) — the same bytes as ``DataProtection/blindIndex(of:)``, which
/// a test holds it to.
///
/// Why not swift-crypto here: its `HMAC` is generic over the hash function and is not
/// specialized across modules, so each identity went through the runtime's generic metadata,
/// copied the keyed state into a new heap context and cleansed it again: ≈ 1.5-2 µs per
/// identity, of which the hashing itself is a few percent. Single lookups (erasure) stay on
/// swift-crypto.
///
/// One indexer belongs to one task at a time (it is not `Sendable`): the intake makes one per batch.
package final class BlindIndexer {
    private let context: OpaquePointer

    init(key: SymmetricKey) throws(DataProtectionError) {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw .blindIndexFailed }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { throw .blindIndexFailed }
        let keyed = "digest".withCString { name in
            "SHA256".withCString { digest in
                var parameters = [OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0),
                                  OSSL_PARAM_construct_end()]
                return key.withUnsafeBytes { key in
                    EVP_MAC_init(context, key.bindMemory(to: UInt8.self).baseAddress, key.count, &parameters)
                }
            }
        }
        guard keyed == 1 else {
            EVP_MAC_CTX_free(context)
            throw .blindIndexFailed
        }
        self.context = context
    }

    deinit { EVP_MAC_CTX_free(context) }

    /// HMAC-SHA256 of `kind ‖ 0 ‖ NUMBER` (the number upper-cased, as ``DataProtection/blindIndex(of:)``).
    package func index(_ identity: Identity) throws(DataProtectionError) -> BlindHash {
        guard EVP_MAC_init(context, nil, 0, nil) == 1 else { throw .blindIndexFailed }
        var kind = identity.kind.rawValue
        var ok = kind.withUTF8 { EVP_MAC_update(context, $0.baseAddress, $0.count) } == 1
        var separator: UInt8 = 0
        ok = ok && EVP_MAC_update(context, &separator, 1) == 1
        var number = identity.number
        ok = ok && number.withUTF8 { bytes -> Bool in
            // ASCII (every resident-id and passport number) is upper-cased here, byte for byte, as
            // `uppercased()` would; other text goes through `uppercased()` itself.
            guard bytes.allSatisfy({ $0 < 0x80 }) else {
                var upper = identity.number.uppercased()
                return upper.withUTF8 { EVP_MAC_update(context, $0.baseAddress, $0.count) } == 1
            }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { upper in
                for (i, b) in bytes.enumerated() { upper[i] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
                return EVP_MAC_update(context, upper.baseAddress, bytes.count) == 1
            }
        }
        var hash: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var written = 0
        ok = ok && withUnsafeMutableBytes(of: &hash) { out in
            EVP_MAC_final(context, out.bindMemory(to: UInt8.self).baseAddress, &written, out.count) == 1
        }
        guard ok, written == 32 else { throw .blindIndexFailed }
        return withUnsafeBytes(of: &hash) { BlindHash($0)! }
    }
}
