/// Why some bytes are not JSON, with the byte offset where parsing stopped.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "not JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Parses RFC 8259 JSON from UTF-8 bytes (nesting at most 64 deep; no NaN or Infinity).
    public static func parse<C: Collection>(_ bytes: C) throws(JSONSyntaxError) -> JSONValue where C.Element == UInt8 {
        try JSONDocument.parse(bytes).root.value
    }
}

/// RFC 8259 JSON read into a ``JSONDocument``'s node list: one pass over the bytes, checking
/// everything a tree parser checks (UTF-8, escapes, numbers, nesting) but building no strings,
/// dictionaries or arrays of values.
struct JSONParser {
    let bytes: [UInt8]
    var at = 0
    var nodes: [JSONDocument.Node] = []
    /// The text of strings written with escapes, decoded once here (they are rare).
    var unescaped: [String] = []
    /// The nodes of strings (values or member names) holding U+0000, written `\u0000`: valid
    /// JSON, but no PostgreSQL text can hold it. In document order; almost always empty.
    var nulStrings: [Int32] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        nodes.reserveCapacity(bytes.count / 8)
    }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: at, reason: reason) }

    mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    /// Appends a node for `kind` and returns its index; containers fix `count` and `next` later.
    mutating func append(_ kind: JSONKind, start: Int, length: Int, escaped: Bool = false) -> Int {
        nodes.append(JSONDocument.Node(kind: kind, flag: escaped, start: Int32(truncatingIfNeeded: start),
                                       length: Int32(truncatingIfNeeded: length), next: Int32(truncatingIfNeeded: nodes.count + 1)))
        return nodes.count - 1
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) {
        guard depth < 64 else { throw fail("nested more than 64 levels") }
        skipSpace()
        guard at < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[at] {
        case 0x7B: try object(depth: depth)
        case 0x5B: try array(depth: depth)
        case 0x22: try string()
        case 0x74: try literal("true"); _ = append(.true, start: at - 4, length: 4)
        case 0x66: try literal("false"); _ = append(.false, start: at - 5, length: 5)
        case 0x6E: try literal("null"); _ = append(.null, start: at - 4, length: 4)
        default: try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { throw fail("expected \(word)") }
        for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw fail("expected \(word)") }
        at += count
    }

    /// Closes the container at `index`: its member or item count, and where its successor starts.
    mutating func close(_ index: Int, count: Int) {
        nodes[index].length = Int32(truncatingIfNeeded: count)
        nodes[index].next = Int32(truncatingIfNeeded: nodes.count)
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) {
        let index = append(.object, start: at, length: 0)
        at += 1
        skipSpace()
        if at < bytes.count, bytes[at] == 0x7D { at += 1; close(index, count: 0); return }
        var count = 0
        var repeats = false
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == 0x22 else { throw fail("expected a member name in quotes") }
            try string()
            if !repeats { repeats = count >= 32 || nameRepeats(nodes.count - 1, in: index) }
            skipSpace()
            guard at < bytes.count, bytes[at] == 0x3A else { throw fail("expected ':' after a member name") }
            at += 1
            try value(depth: depth + 1)
            count += 1
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end of input in an object") }
            if bytes[at] == 0x2C { at += 1; continue }
            guard bytes[at] == 0x7D else { throw fail("expected ',' or '}' in an object") }
            at += 1
            close(index, count: count)
            nodes[index].flag = repeats
            return
        }
    }

    /// Whether an earlier member of the object at `object` has the same name as `name`. Only
    /// objects of up to 32 members are searched (more would cost quadratic time): larger ones
    /// are taken to repeat, so that lookups in them take the slow, always-correct way.
    func nameRepeats(_ name: Int, in object: Int) -> Bool {
        var other = object + 1
        while other < name {
            if JSONDocument.sameText(nodes[other], nodes[name], bytes: bytes, unescaped: unescaped) { return true }
            other = Int(nodes[other + 1].next)
        }
        return false
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) {
        let index = append(.array, start: at, length: 0)
        at += 1
        skipSpace()
        if at < bytes.count, bytes[at] == 0x5D { at += 1; close(index, count: 0); return }
        var count = 0
        while true {
            try value(depth: depth + 1)
            count += 1
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end of input in an array") }
            if bytes[at] == 0x2C { at += 1; continue }
            guard bytes[at] == 0x5D else { throw fail("expected ',' or ']' in an array") }
            at += 1
            close(index, count: count)
            return
        }
    }

    mutating func number() throws(JSONSyntaxError) {
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
        guard let d = JSONDocument.double(bytes[start..<at]), d.isFinite else { throw fail("number out of range") }
        _ = append(.number, start: start, length: at - start)
    }

    /// A string: its bytes are checked (UTF-8, no raw control characters) and kept where they
    /// are; one with escapes is decoded once into `unescaped`.
    mutating func string() throws(JSONSyntaxError) {
        at += 1
        let runStart = at
        let ascii: Bool
        (at, ascii) = bytes.withUnsafeBytes { Self.plainRun(in: $0, from: runStart) }
        if at < bytes.count, bytes[at] == 0x22 {
            // ASCII needs no validation; other text is validated in place, without a String.
            if !ascii {
                guard (try? UTF8Span(validating: bytes.span.extracting(runStart..<at))) != nil else {
                    throw fail("string is not valid UTF-8")
                }
            }
            _ = append(.string, start: runStart, length: at - runStart)
            at += 1
            return
        }
        at = runStart
        var out = ""
        var segment = runStart
        while true {
            guard at < bytes.count else { throw fail("unterminated string") }
            let b = bytes[at]
            if b == 0x22 || b == 0x5C {
                guard let run = String(validating: bytes[segment..<at], as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                out += run
                if b == 0x22 {
                    let node = append(.string, start: unescaped.count, length: out.utf8.count, escaped: true)
                    if out.utf8.contains(0) { nulStrings.append(Int32(truncatingIfNeeded: node)) }
                    unescaped.append(out)
                    at += 1
                    return
                }
                out.unicodeScalars.append(try escape())
                segment = at
                continue
            }
            guard b >= 0x20 else { throw fail("control character in a string must be escaped") }
            at += 1
        }
    }

    /// Where the run of a string's bytes that starts at `start` ends: the offset of the first
    /// quote, backslash or control character (or the end), and whether the run is all ASCII.
    /// Eight bytes at a time while none of them is one of those (names and values are mostly
    /// long runs without any): a byte-wise loop was the parser's largest cost.
    static func plainRun(in raw: UnsafeRawBufferPointer, from start: Int) -> (end: Int, ascii: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var at = start
        var high: UInt64 = 0
        while at + 8 <= raw.count {
            let word = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // A byte is zero, or below 0x20, exactly when its lane sets a high bit here
            // (standard SWAR tests: exact about whether any lane does, which is all this asks).
            let special = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes
                           | (word &- ones &* 0x20) & ~word) & highs
            if special != 0 { break }
            high |= word
            at += 8
        }
        var ascii = high & highs == 0
        while at < raw.count {
            let b = raw[at]
            if b == 0x22 || b == 0x5C || b < 0x20 { break }
            if b >= 0x80 { ascii = false }
            at += 1
        }
        return (at, ascii)
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
