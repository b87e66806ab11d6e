import Domain
import Foundation

/// Writes one flat JSON object by hand: the envelope is a dozen known attributes plus the
/// stored `data`, which is already JSON and is copied as it is (parsing and re-encoding it
/// would cost more than the rest of the relay and could change its bytes).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// `capacity`: the bytes to reserve, so that the envelope is written without regrowing.
    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func member(_ name: String, _ value: ExtensionValue) {
        switch value {
        case .string(let string): key(name); quoted(string)
        case .integer(let number): key(name); bytes.append(contentsOf: String(number).utf8)
        case .boolean(let flag): key(name); bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .unsupported: return
        }
    }

    /// A member whose name is a literal that needs no escaping (the envelope's own attributes):
    /// its quoted name is copied as it is, not scanned for characters to escape.
    mutating func attribute(_ name: StaticString, _ string: String) {
        literalKey(name)
        quoted(string)
    }

    mutating func attribute(_ name: StaticString, _ number: Int64) {
        literalKey(name)
        bytes.append(contentsOf: String(number).utf8)
    }

    /// A member whose name and value are both literals that need no escaping.
    mutating func attribute(_ name: StaticString, literal value: StaticString) {
        literalKey(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
    }

    /// A member whose value is JSON text already (the stored `data`).
    mutating func rawAttribute(_ name: StaticString, _ json: Data) {
        literalKey(name)
        bytes.append(contentsOf: json)
    }

    private mutating func literalKey(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func quoted(_ string: String) {
        JSONValue.writeString(string, into: &bytes)
    }
}
