import Domain
import Foundation
import PostgresNIO

/// JSON the caller already wrote, checked here and bound as a `text` parameter byte for byte.
///
/// The events table keeps `data` and `metadata` as `text` (migration 8): as `json`, PostgreSQL
/// parsed every payload again on the way in, ≈ 4.5 µs for a 760-byte payload, about an eighth
/// of its CPU per appended event; the check here (``JSONDocument``) takes ≈ 1.3 µs. The store's
/// promise is unchanged: what is not JSON (or not UTF-8) is refused, with the whole append.
struct JSONText: PostgresArrayEncodable, PostgresNonThrowingEncodable {
    let bytes: Data

    /// `bytes` if they are one JSON value (`object`: one JSON object).
    /// - Throws: ``StoreError/notJSON(member:)`` naming `member`.
    init(checking bytes: Data, member: String, object: Bool = false) throws(StoreError) {
        guard let document = try? JSONDocument.parse(bytes), !object || document.root.kind == .object else {
            throw .notJSON(member: member)
        }
        self.bytes = bytes
    }

    static var psqlType: PostgresDataType { .text }
    static var psqlArrayType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeBytes(bytes)
    }
}
