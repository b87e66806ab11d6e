import Foundation
import PostgresNIO

/// JSON the caller already wrote, bound as a `json` parameter byte for byte (the binary form
/// of `json` is its text; PostgreSQL still checks it is JSON). Binding it as a `String` first
/// checked and copied every payload once more on the way.
struct JSONText: PostgresArrayEncodable, PostgresNonThrowingEncodable {
    let bytes: Data

    static var psqlType: PostgresDataType { .json }
    static var psqlArrayType: PostgresDataType { .jsonArray }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeBytes(bytes)
    }
}
