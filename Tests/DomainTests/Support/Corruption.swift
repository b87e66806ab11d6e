import Domain

/// Changes exactly one place of a JSON document: deletes a member, replaces a value with a wrong
/// kind or a tricky string, edits one character, or adds an unknown member.
struct Corruption {
    static let trickyStrings = ["", "x", "2026-02-29", "2024-02-29", "2026-13-01", "0000-01-01", "320505001001", "32050500100",
                                "320005000000", "000000000000", "411523198807210128", "41152319880721012X", "411523198807210127",
                                "E12345678", "e1", "public-security", "Public", "-a", "1.0", "application/json", "female",
                                "child", "resident-id", "passport", "education", String(repeating: "长", count: 101),
                                "2026-03-01T09:30:00+08:00", "2026-03-01T24:00:00Z", "2026-03-01T09:30:60Z", "2026-03-01T09:30:00",
                                "hello\n", "320505001001\n", "１２３", "onewindow.permit.issued.v1"]
    static let wrongKinds: [JSONValue] = [.null, .bool(true), .number(7), .number(2.5), .number(0), .array([]), .object([:]), .array(["a"])]
    static let unknownNames = ["extra", "Extra", "data_base64", "traceparent", "x1"]

    /// Every path in the document (as tokens) to a member or array element.
    static func paths(_ value: JSONValue, _ prefix: [String] = []) -> [[String]] {
        switch value {
        case .object(let m): m.keys.sorted().flatMap { [prefix + [$0]] + paths(m[$0]!, prefix + [$0]) }
        case .array(let items): items.indices.flatMap { [prefix + [String($0)]] + paths(items[$0], prefix + [String($0)]) }
        default: []
        }
    }

    static func apply(_ doc: JSONValue, rng: inout SplitMix64, strings: [String] = trickyStrings) -> JSONValue {
        let all = paths(doc)
        let path = all.randomElement(using: &rng)!
        switch Int.random(in: 0...4, using: &rng) {
        case 0: return update(doc, path[...]) { _ in nil }
        case 1: return update(doc, path[...]) { _ in wrongKinds.randomElement(using: &rng)! }
        case 2: return update(doc, path[...]) { _ in .string(strings.randomElement(using: &rng)!) }
        case 3:
            return update(doc, path[...]) { old in
                guard case .string(let s) = old, !s.isEmpty else { return .string("?") }
                var chars = Array(s)
                chars[Int.random(in: 0..<chars.count, using: &rng)] = "0123456789X-aZ".randomElement(using: &rng)!
                return .string(String(chars))
            }
        default:
            let objects = [[]] + all.filter { if case .object = lookup(doc, $0[...]) { true } else { false } }
            let target = objects.randomElement(using: &rng)!
            let name = unknownNames.randomElement(using: &rng)!
            return update(doc, (target + [name])[...]) { _ in .string("surprise") }
        }
    }

    static func lookup(_ doc: JSONValue, _ path: ArraySlice<String>) -> JSONValue? {
        guard let head = path.first else { return doc }
        switch doc {
        case .object(let m): return m[head].flatMap { lookup($0, path.dropFirst()) }
        case .array(let a): return Int(head).flatMap { a.indices.contains($0) ? lookup(a[$0], path.dropFirst()) : nil }
        default: return nil
        }
    }

    /// Replaces (or with nil removes) the value at `path`.
    static func update(_ doc: JSONValue, _ path: ArraySlice<String>, _ change: (JSONValue?) -> JSONValue?) -> JSONValue {
        guard let head = path.first else { return change(doc) ?? .null }
        switch doc {
        case .object(var m):
            if path.count == 1 { m[head] = change(m[head]) } else if let child = m[head] { m[head] = update(child, path.dropFirst(), change) }
            return .object(m)
        case .array(var a):
            guard let i = Int(head), a.indices.contains(i) else { return doc }
            if path.count == 1 {
                if let v = change(a[i]) { a[i] = v } else { a.remove(at: i) }
            } else {
                a[i] = update(a[i], path.dropFirst(), change)
            }
            return .array(a)
        default: return doc
        }
    }
}
