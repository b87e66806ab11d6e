import Foundation
import PostgresNIO

/// The keyed hash of an identity (HMAC-SHA256, 32 bytes) that finds a person without storing
/// the number: `people.blind_hash`.
///
/// A value of four words rather than `Data`: the intake hashes and compares these in sets and
/// dictionaries several times per event, and a 32-byte `Data` is a heap object whose every hash
/// and comparison went through its storage's exclusivity checks (≈ 3 % of the intake's CPU
/// with the dictionaries of a batch, `perf`, 2026-12-04).
public struct BlindHash: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes of a blind hash.
    public static let byteCount = 32

    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The hash whose bytes are `bytes`; `nil` unless there are exactly 32.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in raw.copyBytes(from: bytes) }
        self.words = words
    }

    /// The 32 bytes, in order.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    public static func == (lhs: BlindHash, rhs: BlindHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Never the hash itself: it would let a log reader test guesses of an identity number
    /// against it if the index key ever leaked.
    public var description: String { "BlindHash(…)" }
}

extension BlindHash: PostgresArrayEncodable, PostgresNonThrowingEncodable {
    public static var psqlType: PostgresDataType { .bytea }
    public static var psqlArrayType: PostgresDataType { .byteaArray }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        withUnsafeBytes(of: words) { _ = buffer.writeBytes($0) }
    }
}

extension BlindHash: PostgresDecodable {
    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .bytea, format == .binary, let hash = buffer.withUnsafeReadableBytes({ BlindHash($0) }) else {
            throw PostgresDecodingError.Code.failure
        }
        buffer.moveReaderIndex(forwardBy: Self.byteCount)
        self = hash
    }
}
