import Foundation

extension UUID {
    /// The canonical lower-case text (`0b7f3c8e-…`, 36 characters), the form OneWindow stores,
    /// keys Kafka records by and binds keys to. Written digit by digit: `uuidString.lowercased()`
    /// formats upper case and then copies, ≈ 12× the time, and the intake does it twice per
    /// event.
    public var lowercasedString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = UUIDDigits.lower[Int(byte >> 4)]
                    text[at + 1] = UUIDDigits.lower[Int(byte & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }

    /// A version-4 (random) UUID from 16 bytes of a CSPRNG: the version and variant bits are
    /// set, the other 122 bits are the caller's.
    public init(randomBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= 16, "a UUID takes 16 random bytes")
        var raw = uuid_t(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<16])) }
        raw.6 = (raw.6 & 0x0F) | 0x40  // version 4
        raw.8 = (raw.8 & 0x3F) | 0x80  // RFC 4122 variant
        self.init(uuid: raw)
    }
}

private enum UUIDDigits {
    static let lower: [UInt8] = Array("0123456789abcdef".utf8)
}
