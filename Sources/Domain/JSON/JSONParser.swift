/// Why some bytes are not JSON, with the byte offset where parsing stopped.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "not JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Parses RFC 8259 JSON from UTF-8 bytes (nesting at most 64 deep; no NaN or Infinity).
    public static func parse<C: Collection>(_ bytes: C) throws(JSONSyntaxError) -> JSONValue where C.Element == UInt8 {
        var parser = JSONParser(bytes: Array(bytes))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw parser.fail("unexpected text after the JSON value") }
        return value
    }
}

struct JSONParser {
    let bytes: [UInt8]
    var at = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: at, reason: reason) }

    mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < 64 else { throw fail("nested more than 64 levels") }
        skipSpace()
        guard at < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[at] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default: return .number(try number())
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { throw fail("expected \(word)") }
        for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw fail("expected \(word)") }
        at += count
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        at += 1
        skipSpace()
        if at < bytes.count, bytes[at] == 0x7D { at += 1; return .object([:]) }
        // Members are collected first and hashed once into a table of the right size
        // (growing a dictionary member by member rehashes it at every doubling).
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(8)
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == 0x22 else { throw fail("expected a member name in quotes") }
            let key = try string()
            skipSpace()
            guard at < bytes.count, bytes[at] == 0x3A else { throw fail("expected ':' after a member name") }
            at += 1
            pairs.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end of input in an object") }
            if bytes[at] == 0x2C { at += 1; continue }
            guard bytes[at] == 0x7D else { throw fail("expected ',' or '}' in an object") }
            at += 1
            return .object(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
        }
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        at += 1
        var items: [JSONValue] = []
        skipSpace()
        if at < bytes.count, bytes[at] == 0x5D { at += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end of input in an array") }
            if bytes[at] == 0x2C { at += 1; continue }
            guard bytes[at] == 0x5D else { throw fail("expected ',' or ']' in an array") }
            at += 1
            return .array(items)
        }
    }

    mutating func number() throws(JSONSyntaxError) -> Double {
        let start = at
        if at < bytes.count, bytes[at] == 0x2D { at += 1 }
        guard at < bytes.count, ASCII.isDigit(bytes[at]) else { throw fail("expected a value") }
        if bytes[at] == 0x30 { at += 1 } else { while at < bytes.count, ASCII.isDigit(bytes[at]) { at += 1 } }
        if at < bytes.count, bytes[at] == 0x2E {
            at += 1
            guard at < bytes.count, ASCII.isDigit(bytes[at]) else { throw fail("expected digits after '.'") }
            while at < bytes.count, ASCII.isDigit(bytes[at]) { at += 1 }
        }
        if at < bytes.count, bytes[at] == 0x65 || bytes[at] == 0x45 {
            at += 1
            if at < bytes.count, bytes[at] == 0x2B || bytes[at] == 0x2D { at += 1 }
            guard at < bytes.count, ASCII.isDigit(bytes[at]) else { throw fail("expected digits in an exponent") }
            while at < bytes.count, ASCII.isDigit(bytes[at]) { at += 1 }
        }
        guard let d = Double(String(decoding: bytes[start..<at], as: UTF8.self)), d.isFinite else { throw fail("number out of range") }
        return d
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        at += 1
        var runStart = at
        // The common case, a string without escapes, becomes one String straight from the bytes.
        while at < bytes.count, bytes[at] != 0x22, bytes[at] != 0x5C, bytes[at] >= 0x20 { at += 1 }
        if at < bytes.count, bytes[at] == 0x22 {
            let text = bytes.withUnsafeBufferPointer { buffer -> String? in
                let run = UnsafeBufferPointer(rebasing: buffer[runStart..<at])
                // ASCII needs no validation (the generic validating initializer is slow).
                if !run.contains(where: { $0 >= 0x80 }) { return String(decoding: run, as: UTF8.self) }
                return String(validating: run, as: UTF8.self)
            }
            guard let text else { throw fail("string is not valid UTF-8") }
            at += 1
            return text
        }
        at = runStart
        var out = ""
        while true {
            guard at < bytes.count else { throw fail("unterminated string") }
            let b = bytes[at]
            if b == 0x22 || b == 0x5C {
                guard let run = String(validating: bytes[runStart..<at], as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                out += run
                if b == 0x22 { at += 1; return out }
                out.unicodeScalars.append(try escape())
                runStart = at
                continue
            }
            guard b >= 0x20 else { throw fail("control character in a string must be escaped") }
            at += 1
        }
    }

    mutating func escape() throws(JSONSyntaxError) -> Unicode.Scalar {
        at += 1
        guard at < bytes.count else { throw fail("unterminated escape") }
        let c = bytes[at]
        at += 1
        switch c {
        case 0x22: return "\""
        case 0x5C: return "\\"
        case 0x2F: return "/"
        case 0x62: return "\u{08}"
        case 0x66: return "\u{0C}"
        case 0x6E: return "\n"
        case 0x72: return "\r"
        case 0x74: return "\t"
        case 0x75:
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high) {
                guard at + 1 < bytes.count, bytes[at] == 0x5C, bytes[at + 1] == 0x75 else { throw fail("lone surrogate in \\u escape") }
                at += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("lone surrogate in \\u escape") }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else { throw fail("lone surrogate in \\u escape") }
            return scalar
        default: throw fail("unknown escape")
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard at + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for b in bytes[at..<(at + 4)] {
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x37
            case 0x61...0x66: d = b - 0x57
            default: throw fail("bad hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        at += 4
        return v
    }
}
