import COpenSSL
import Crypto
import Foundation

/// AES-256-GCM sealing of one person's strings through OpenSSL's EVP interface: the context is
/// keyed once and only its nonce changes per string. The output is AES-GCM's standard
/// nonce ‖ ciphertext ‖ tag, which swift-crypto's `AES.GCM.SealedBox(combined:)` opens.
///
/// Why not swift-crypto here: it keys a fresh context for every string and passes the bytes
/// through several generic layers and `Data` copies; sealing took ≈ 2 µs per string, 20 % of
/// the intake's in-memory CPU per event, against well under 1 µs here. Everything else (key
/// wrapping, opening, HMAC) stays on swift-crypto.
///
/// One sealer belongs to one task at a time (it is not `Sendable`): the intake makes one per event.
final class GCMSealer {
    private let context: OpaquePointer

    /// A context keyed with `key` (32 bytes).
    init(key: SymmetricKey) throws(DataProtectionError) {
        guard let context = AES256GCM.context(key: key, encrypting: true) else { throw .sealFailed }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Appends base64(nonce ‖ ciphertext ‖ tag) of `text`, sealed under a fresh nonce from the pool.
    ///
    /// The sealed bytes and their base64 (OpenSSL's `EVP_EncodeBlock`: standard alphabet, padded,
    /// no line breaks) are written to one temporary buffer, on the stack for the short strings
    /// personal fields are: a `Data` for the sealed bytes and another for their base64 cost two
    /// allocations and copies per string.
    func appendSealed(_ text: String, to out: inout [UInt8]) throws(DataProtectionError) {
        var text = text
        let count = text.utf8.count
        let sealedCount = 12 + count + 16
        let encodedCount = (sealedCount + 2) / 3 * 4
        let done = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: sealedCount + encodedCount + 1) { buffer -> Bool in
            let nonce = buffer.baseAddress!
            RandomPool.shared.fillNonce(UnsafeMutableRawBufferPointer(start: nonce, count: 12))
            guard EVP_EncryptInit_ex2(context, nil, nil, nonce, nil) == 1 else { return false }
            let ciphertext = nonce + 12
            var written: Int32 = 0
            if count > 0 {
                let updated = text.withUTF8 { plain in
                    EVP_EncryptUpdate(context, ciphertext, &written, plain.baseAddress, Int32(count))
                }
                guard updated == 1, written == count else { return false }
            }
            var tail: Int32 = 0
            guard EVP_EncryptFinal_ex(context, ciphertext + count, &tail) == 1, tail == 0,
                  EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, ciphertext + count) == 1
            else { return false }
            let encoded = nonce + sealedCount  // EVP_EncodeBlock also writes a NUL after the text
            guard EVP_EncodeBlock(encoded, nonce, Int32(sealedCount)) == encodedCount else { return false }
            out.append(contentsOf: UnsafeBufferPointer(start: encoded, count: encodedCount))
            return true
        }
        guard done else { throw .sealFailed }
    }
}

/// OpenSSL's AES-256-GCM, shared by ``GCMSealer`` and ``KeyWrapper``.
enum AES256GCM {
    /// The implementation, fetched from OpenSSL's default provider once.
    private static let cipher = Cipher()

    private struct Cipher: @unchecked Sendable {  // an EVP_CIPHER is immutable once fetched
        let pointer: OpaquePointer?
        init() { pointer = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) }
    }

    /// A new context keyed with `key` (32 bytes) for encrypting or decrypting; nil when OpenSSL
    /// refuses. The caller frees it (`EVP_CIPHER_CTX_free`).
    static func context(key: SymmetricKey, encrypting: Bool) -> OpaquePointer? {
        guard key.bitCount == 256, let cipher = cipher.pointer, let context = EVP_CIPHER_CTX_new() else { return nil }
        let keyed = key.withUnsafeBytes { key in
            let bytes = key.bindMemory(to: UInt8.self).baseAddress
            return encrypting ? EVP_EncryptInit_ex2(context, cipher, bytes, nil, nil)
                              : EVP_DecryptInit_ex2(context, cipher, bytes, nil, nil)
        }
        guard keyed == 1 else {
            EVP_CIPHER_CTX_free(context)
            return nil
        }
        return context
    }
}
