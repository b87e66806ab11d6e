import Foundation
import PostgresNIO

/// JSON the caller already wrote, bound as a `text` parameter byte for byte (the store keeps
/// data and metadata as text since migration 13: PostgreSQL no longer parses them to check
/// them). Binding it as a `String` first checked and copied every payload once more on the way.
struct JSONText: PostgresArrayEncodable, PostgresNonThrowingEncodable {
    let bytes: Data

    static var psqlType: PostgresDataType { .text }
    static var psqlArrayType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeBytes(bytes)
    }
}
