/// A JSON document as a value: what the event doors parse into before validation, and what
/// canonical events are written from. Objects keep one value per key (the last, as most parsers do).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    /// The text, when this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    /// JSON Schema's name for the kind of value, for messages ("got a number").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The whole number held, when this is a number without a fraction (JSON Schema's `integer`).
    public var integerValue: Int? {
        guard case .number(let d) = self, d.rounded() == d, abs(d) < 9_007_199_254_740_992 else { return nil }
        return Int(d)
    }
}

extension JSONValue {
    /// Compact UTF-8 JSON with keys sorted, so equal values always give equal bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out)
        return out
    }

    /// Appends the compact JSON of ``encoded()``.
    package func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d):
            if let i = integerValue { out.append(contentsOf: String(i).utf8) } else { out.append(contentsOf: "\(d)".utf8) }
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(0x2C) }
                item.write(into: &out)
            }
            out.append(0x5D)
        case .object(let members):
            JSONValue.writeObject(members, into: &out) { _, _, _ in false }
        }
    }

    /// Appends `members` as a JSON object with sorted keys. `custom` is offered each member
    /// after its name is written: it may write the value itself and return true (the intake
    /// seals personal fields this way), or return false to have it written as it is.
    package static func writeObject<E: Error>(
        _ members: [String: JSONValue], into out: inout [UInt8],
        custom: (String, JSONValue, inout [UInt8]) throws(E) -> Bool
    ) throws(E) {
        out.append(0x7B)
        for (n, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if n > 0 { out.append(0x2C) }
            JSONValue.writeString(member.key, into: &out)
            out.append(0x3A)
            if try !custom(member.key, member.value, &out) { member.value.write(into: &out) }
        }
        out.append(0x7D)
    }

    /// Appends `s` as a JSON string: quoted, with `"`, `\\` and control characters escaped
    /// (`\n`, `\r`, `\t`, else `\u00xx`). One pass over the UTF-8, copying the runs between
    /// escapes in bulk. Shared with the relay's envelope writer.
    package static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var text = s
        text.withUTF8 { bytes in
            var run = 0
            for i in bytes.indices {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                run = i + 1
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
        out.append(0x22)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
