/// Writes the personal strings of an event's `data` (names, identity numbers, phone numbers)
/// where ``CanonicalJSON`` meets them: the intake seals them this way.
package protocol PersonalTextWriter {
    /// Appends `text` as a JSON value (a string, most likely sealed). `holder` is the identity
    /// of the person the text belongs to when that is not the event's subject (a household
    /// member or a beneficiary named by identity), nil for the subject's own.
    func write(personal text: String, of holder: Identity?, into out: inout [UInt8]) throws
}

/// Compact JSON with every object's members in sorted order, written straight from typed values
/// (the same bytes as ``JSONValue/encoded()`` of their ``JSONValue``, without building it).
/// Each type lists its members in sorted order itself; tests hold that to the tree's encoding.
package struct CanonicalJSON {
    package private(set) var bytes: [UInt8] = []
    let personal: (any PersonalTextWriter)?
    /// Whose personal strings are being written: nil for the event's subject.
    private var holder: Identity?
    /// Whether the next member or item follows another in the same object or array.
    private var needsComma = false

    package init(capacity: Int = 512, personal: (any PersonalTextWriter)? = nil) {
        bytes.reserveCapacity(capacity)
        self.personal = personal
    }

    /// An object whose members `body` writes, in sorted order.
    package mutating func object(_ body: (inout CanonicalJSON) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Starts a member: the comma before it when needed, then its quoted name and the colon.
    private mutating func name(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    package mutating func member(_ key: StaticString, _ text: String?) {
        guard let text else { return }
        name(key)
        JSONValue.writeString(text, into: &bytes)
        needsComma = true
    }

    package mutating func member(_ key: StaticString, _ flag: Bool?) {
        guard let flag else { return }
        name(key)
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func member(_ key: StaticString, _ number: Int?) {
        guard let number else { return }
        name(key)
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    /// A personal string: written by the ``PersonalTextWriter`` when there is one.
    mutating func member(_ key: StaticString, personal text: String?) throws {
        guard let text else { return }
        name(key)
        try writePersonal(text)
    }

    mutating func writePersonal(_ text: String) throws {
        if let personal { try personal.write(personal: text, of: holder, into: &bytes) } else { JSONValue.writeString(text, into: &bytes) }
        needsComma = true
    }

    /// Writes what `body` writes with its personal strings belonging to the person `identity`
    /// names (a household member, a beneficiary) rather than to the event's subject; with a
    /// nil `identity` they stay the subject's.
    mutating func personalStrings(of identity: Identity?, _ body: (inout CanonicalJSON) throws -> Void) rethrows {
        guard let identity else { return try body(&self) }
        let outer = holder
        holder = identity
        defer { holder = outer }
        try body(&self)
    }

    /// A nested object.
    mutating func member(_ key: StaticString, _ value: (some CanonicalJSONWritable)?) throws {
        guard let value else { return }
        name(key)
        try value.writeCanonical(&self)
    }

    /// A member that is an object of strings (sorted here, its names are data).
    mutating func member(_ key: StaticString, strings: [String: String]?) {
        guard let strings else { return }
        name(key)
        bytes.append(UInt8(ascii: "{"))
        for (n, pair) in strings.sorted(by: { $0.key < $1.key }).enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(pair.key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONValue.writeString(pair.value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// An array member.
    mutating func member<T: CanonicalJSONWritable>(_ key: StaticString, _ items: [T]?) throws {
        guard let items else { return }
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (n, item) in items.enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            try item.writeCanonical(&self)
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }
}

/// A value ``CanonicalJSON`` can write.
package protocol CanonicalJSONWritable {
    func writeCanonical(_ w: inout CanonicalJSON) throws
}
