import COpenSSL
import Crypto
import Domain
import Foundation

/// Wraps and unwraps person data keys under the wrapping key: AES-256-GCM with the person id
/// (lowercase text) as authenticated data, stored as nonce ‖ ciphertext ‖ tag (60 bytes), the
/// layout of swift-crypto's `AES.GCM.SealedBox.combined`.
///
/// The intake wraps a key for every person it creates and unwraps one for every person it
/// finds, hundreds per batch. swift-crypto keys a new context for each (≈ 2.8 µs per wrap in
/// the HTTP figure's profile); here each direction's context is keyed once, on first use, and
/// only the nonce changes per key. Not `Sendable`: one task uses it at a time (the intake makes
/// one per batch).
package final class KeyWrapper {
    private let key: SymmetricKey
    private var encrypting: OpaquePointer?
    private var decrypting: OpaquePointer?

    /// How many bytes a wrapped key takes: nonce, the 32-byte key, tag.
    static let wrappedCount = 12 + 32 + 16

    init(wrappingKey: SymmetricKey) {
        key = wrappingKey
    }

    deinit {
        if let encrypting { EVP_CIPHER_CTX_free(encrypting) }
        if let decrypting { EVP_CIPHER_CTX_free(decrypting) }
    }

    /// `dataKey` sealed for `person` under a fresh nonce.
    package func wrap(_ dataKey: SymmetricKey, for person: UUID) throws(DataProtectionError) -> Data {
        if encrypting == nil { encrypting = AES256GCM.context(key: key, encrypting: true) }
        guard let context = encrypting, dataKey.bitCount == 256 else { throw .sealFailed }
        var wrapped = Data(count: Self.wrappedCount)
        let done = wrapped.withUnsafeMutableBytes { out -> Bool in
            let nonce = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            RandomPool.shared.fillNonce(UnsafeMutableRawBufferPointer(start: nonce, count: 12))
            guard EVP_EncryptInit_ex2(context, nil, nil, nonce, nil) == 1, Self.authenticate(person, context, EVP_EncryptUpdate)
            else { return false }
            let ciphertext = nonce + 12
            var written: Int32 = 0
            let updated = dataKey.withUnsafeBytes { plain in
                EVP_EncryptUpdate(context, ciphertext, &written, plain.bindMemory(to: UInt8.self).baseAddress, 32)
            }
            var tail: Int32 = 0
            return updated == 1 && written == 32
                && EVP_EncryptFinal_ex(context, ciphertext + 32, &tail) == 1 && tail == 0
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, ciphertext + 32) == 1
        }
        guard done else { throw .sealFailed }
        return wrapped
    }

    /// The data key wrapped in `wrapped`; fails when it was not wrapped for `person` under
    /// this wrapping key, or was altered.
    package func unwrap(_ wrapped: Data, for person: UUID) throws(DataProtectionError) -> SymmetricKey {
        if decrypting == nil { decrypting = AES256GCM.context(key: key, encrypting: false) }
        guard let context = decrypting, wrapped.count == Self.wrappedCount else { throw .unwrapFailed }
        let opened = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { plain -> SymmetricKey? in
            let verified = wrapped.withUnsafeBytes { sealed -> Bool in
                let nonce = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
                guard EVP_DecryptInit_ex2(context, nil, nil, nonce, nil) == 1, Self.authenticate(person, context, EVP_DecryptUpdate)
                else { return false }
                var written: Int32 = 0
                var tail: Int32 = 0
                let tag = UnsafeMutableRawPointer(mutating: nonce + 44)
                return EVP_DecryptUpdate(context, plain.baseAddress, &written, nonce + 12, 32) == 1 && written == 32
                    && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1
                    && EVP_DecryptFinal_ex(context, plain.baseAddress, &tail) == 1 && tail == 0
            }
            defer { plain.initialize(repeating: 0) }  // no copy of the key left behind
            return verified ? SymmetricKey(data: UnsafeRawBufferPointer(plain)) : nil
        }
        guard let opened else { throw .unwrapFailed }
        return opened
    }

    /// Feeds the person id, as the authenticated data, to an encrypting or decrypting context.
    private static func authenticate(
        _ person: UUID, _ context: OpaquePointer,
        _ update: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int32>?, UnsafePointer<UInt8>?, Int32) -> Int32
    ) -> Bool {
        var binding = person.lowercasedString
        var written: Int32 = 0
        return binding.withUTF8 { update(context, nil, &written, $0.baseAddress, Int32($0.count)) } == 1
    }
}
