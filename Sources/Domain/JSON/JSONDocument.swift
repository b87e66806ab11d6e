/// The kind of a JSON value.
public enum JSONKind: UInt8, Sendable {
    case null, `false`, `true`, number, string, array, object

    /// JSON Schema's name for the kind of value, for messages ("got a number").
    public var name: String {
        switch self {
        case .null: "null"
        case .false, .true: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Parsed JSON kept as a flat list of nodes over its bytes: what the event doors validate from.
/// Parsing builds no strings, dictionaries or arrays of values; a member's name is compared
/// with the bytes where it stands, and a string becomes a `String` only when a rule reads it.
/// Use ``root`` to read it, or ``JSONNode/value`` for a ``JSONValue`` tree.
public final class JSONDocument: Sendable {
    /// One value in document order: an object is followed by its members (name, value, name,
    /// value, …), an array by its items, each with their own descendants.
    struct Node: Sendable {
        var kind: JSONKind
        /// For a string: written with escapes, so `start` indexes `unescaped` instead of `bytes`.
        /// For an object: some member name may be repeated (looked up the slow way, last wins).
        var flag: Bool
        /// Where the value's bytes start (for a string, after the opening quote).
        var start: Int32
        /// Byte length of a string's content or of a number; member or item count of a container.
        var length: Int32
        /// The index of the node after this one and all of its descendants.
        var next: Int32
    }

    let bytes: [UInt8]
    let nodes: [Node]
    let unescaped: [String]
    /// The string nodes holding U+0000, in document order (see `JSONParser.nulStrings`).
    let nulStrings: [Int32]

    private init(bytes: [UInt8], nodes: [Node], unescaped: [String], nulStrings: [Int32]) {
        (self.bytes, self.nodes, self.unescaped, self.nulStrings) = (bytes, nodes, unescaped, nulStrings)
    }

    /// Parses RFC 8259 JSON from UTF-8 bytes (nesting at most 64 deep; no NaN or Infinity;
    /// at most 2 GiB).
    public static func parse<C: Collection>(_ bytes: C) throws(JSONSyntaxError) -> JSONDocument where C.Element == UInt8 {
        var parser = JSONParser(bytes: Array(bytes))
        guard parser.bytes.count < Int(Int32.max) else { throw parser.fail("more than 2 GiB of JSON") }
        try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw parser.fail("unexpected text after the JSON value") }
        return JSONDocument(bytes: parser.bytes, nodes: parser.nodes, unescaped: parser.unescaped, nulStrings: parser.nulStrings)
    }

    /// The top-level value.
    public var root: JSONNode { JSONNode(.tape(self, 0)) }

    /// The number written in `bytes` (already checked to be JSON number syntax).
    static func double(_ bytes: ArraySlice<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    // MARK: Reading nodes

    func string(_ i: Int) -> String {
        let node = nodes[i]
        if node.flag { return unescaped[Int(node.start)] }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.start + node.length)]), as: UTF8.self)
        }
    }

    /// True when the string node `i` holds exactly the UTF-8 of `text` (byte for byte, as JSON
    /// Schema compares names: no Unicode normalization), compared without making a `String`.
    func string(_ i: Int, equals text: String) -> Bool {
        let node = nodes[i]
        if node.flag { return unescaped[Int(node.start)].utf8.elementsEqual(text.utf8) }
        return text.utf8.withContiguousStorageIfAvailable { equals(node, $0) } ?? equals(node, Array(text.utf8))
    }

    private func equals(_ node: Node, _ wanted: some Collection<UInt8>) -> Bool {
        let start = Int(node.start)
        guard wanted.count == Int(node.length) else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            var k = start
            for b in wanted {
                guard buffer[k] == b else { return false }
                k += 1
            }
            return true
        }
    }

    /// The first string node holding U+0000 within the value at `i` (itself or a descendant).
    func firstNULString(within i: Int) -> Int? {
        guard !nulStrings.isEmpty else { return nil }
        let end = Int(nodes[i].next)
        return nulStrings.first { Int($0) >= i && Int($0) < end }.map(Int.init)
    }

    /// The JSON pointer, from `base` at the value `root`, of the value `target` within it; for a
    /// member name, the pointer of the object that holds it.
    func pointer(to target: Int, from root: Int, base: String) -> String {
        var (at, pointer) = (root, base)
        while at != target {
            let node = nodes[at]
            var child = at + 1
            var index = 0
            while child < Int(node.next) {
                if node.kind == .object {
                    if child == target { return pointer }  // the member name itself
                    let value = child + 1
                    if target < Int(nodes[value].next) {
                        (at, pointer) = (value, JSONPointer.appending(pointer, string(child)))
                        break
                    }
                    child = Int(nodes[value].next)
                } else {
                    if target < Int(nodes[child].next) {
                        (at, pointer) = (child, JSONPointer.appending(pointer, index))
                        break
                    }
                    (child, index) = (Int(nodes[child].next), index + 1)
                }
            }
        }
        return pointer
    }

    func double(_ i: Int) -> Double {
        let node = nodes[i]
        return Self.double(bytes[Int(node.start)..<Int(node.start + node.length)]) ?? .nan
    }

    /// The index of the value of `key` among the members of object `i`: the last one when the
    /// name is repeated, as a tree parser keeps the last of duplicates. Names are compared by
    /// length first (a string's `length` is its decoded UTF-8 length, escaped or not).
    func member(_ i: Int, _ key: String) -> Int? {
        let count = Int32(truncatingIfNeeded: key.utf8.count)
        let mayRepeat = nodes[i].flag
        var found: Int?
        var name = i + 1
        let end = Int(nodes[i].next)
        while name < end {
            if nodes[name].length == count, string(name, equals: key) {
                found = name + 1
                if !mayRepeat { break }
            }
            name = Int(nodes[name + 1].next)
        }
        return found
    }

    /// Whether member name `name` of object `object` is repeated by a later member.
    func isRepeated(_ name: Int, in object: Int) -> Bool {
        guard nodes[object].flag else { return false }
        let end = Int(nodes[object].next)
        var other = Int(nodes[name + 1].next)
        while other < end {
            if sameText(other, name) { return true }
            other = Int(nodes[other + 1].next)
        }
        return false
    }

    /// Whether string nodes `a` and `b` hold the same text.
    func sameText(_ a: Int, _ b: Int) -> Bool {
        JSONDocument.sameText(nodes[a], nodes[b], bytes: bytes, unescaped: unescaped)
    }

    static func sameText(_ a: Node, _ b: Node, bytes: [UInt8], unescaped: [String]) -> Bool {
        guard a.length == b.length else { return false }
        guard !a.flag, !b.flag else {
            func text(_ n: Node) -> String {
                n.flag ? unescaped[Int(n.start)] : String(decoding: bytes[Int(n.start)..<Int(n.start + n.length)], as: UTF8.self)
            }
            return text(a).utf8.elementsEqual(text(b).utf8)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            (0..<Int(a.length)).allSatisfy { buffer[Int(a.start) + $0] == buffer[Int(b.start) + $0] }
        }
    }

    func value(_ i: Int) -> JSONValue {
        let node = nodes[i]
        switch node.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return .number(double(i))
        case .string: return .string(string(i))
        case .array:
            var items: [JSONValue] = []
            items.reserveCapacity(Int(node.length))
            var item = i + 1
            while item < Int(node.next) {
                items.append(value(item))
                item = Int(nodes[item].next)
            }
            return .array(items)
        case .object:
            var pairs: [(String, JSONValue)] = []
            pairs.reserveCapacity(Int(node.length))
            var name = i + 1
            while name < Int(node.next) {
                pairs.append((string(name), value(name + 1)))
                name = Int(nodes[name + 1].next)
            }
            // Hashed once into a table of the right size (growing one member by member
            // rehashes it at every doubling).
            return .object(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
        }
    }
}

/// Byte equality of two buffers of `count` bytes.
@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for k in 0..<count where a[k] != b[k] { return false }
    return true
}
