/// One value to validate: a node of a parsed ``JSONDocument`` (what the doors read), or a
/// ``JSONValue`` built in memory (binary-mode events, case events). Validation rules read both
/// through this one view.
public struct JSONNode: Sendable {
    enum Storage: Sendable {
        case tape(JSONDocument, Int)
        case value(JSONValue)
    }

    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    /// A view of a value built in memory.
    public init(_ value: JSONValue) { storage = .value(value) }

    public var kind: JSONKind {
        switch storage {
        case .tape(let document, let i): document.nodes[i].kind
        case .value(let value):
            switch value {
            case .null: .null
            case .bool(let b): b ? .true : .false
            case .number: .number
            case .string: .string
            case .array: .array
            case .object: .object
            }
        }
    }

    /// JSON Schema's name for the kind of value, for messages ("got a number").
    public var kindName: String { kind.name }

    /// The text, when this is a string.
    public var stringValue: String? {
        switch storage {
        case .tape(let document, let i): document.nodes[i].kind == .string ? document.string(i) : nil
        case .value(let value): value.stringValue
        }
    }

    /// True when this is the string `text` (compared in place for a parsed document).
    public func isString(_ text: String) -> Bool {
        switch storage {
        case .tape(let document, let i): document.nodes[i].kind == .string && document.string(i, equals: text)
        case .value(let value): value.stringValue == text
        }
    }

    /// The whole number held, when this is a number without a fraction (JSON Schema's `integer`).
    public var integerValue: Int? {
        switch storage {
        case .tape(let document, let i): document.nodes[i].kind == .number ? JSONValue.number(document.double(i)).integerValue : nil
        case .value(let value): value.integerValue
        }
    }

    /// The items, when this is an array.
    public var arrayItems: [JSONNode]? {
        switch storage {
        case .tape(let document, let i):
            let node = document.nodes[i]
            guard node.kind == .array else { return nil }
            var items: [JSONNode] = []
            items.reserveCapacity(Int(node.length))
            var item = i + 1
            while item < Int(node.next) {
                items.append(JSONNode(.tape(document, item)))
                item = Int(document.nodes[item].next)
            }
            return items
        case .value(let value):
            guard case .array(let items) = value else { return nil }
            return items.map(JSONNode.init)
        }
    }

    /// The value of member `key` (the last, when the name is repeated), when this is an object.
    public func member(_ key: String) -> JSONNode? {
        switch storage {
        case .tape(let document, let i):
            guard document.nodes[i].kind == .object, let found = document.member(i, key) else { return nil }
            return JSONNode(.tape(document, found))
        case .value(let value):
            return value.objectValue?[key].map(JSONNode.init)
        }
    }

    /// How many distinct member names an object has (0 for anything else).
    var memberCount: Int {
        switch storage {
        case .tape(let document, let i):
            let node = document.nodes[i]
            guard node.kind == .object else { return 0 }
            guard node.flag else { return Int(node.length) }  // no name repeats: as written
            var count = 0
            forEachMember { _, _ in count += 1 }
            return count
        case .value(let value):
            return value.objectValue?.count ?? 0
        }
    }

    /// How many members an object was written with, repeated names counted each time: equal
    /// to ``memberCount`` unless a name is repeated, and cheaper.
    public var writtenMemberCount: Int {
        switch storage {
        case .tape(let document, let i): document.nodes[i].kind == .object ? Int(document.nodes[i].length) : 0
        case .value(let value): value.objectValue?.count ?? 0
        }
    }

    /// Calls `body` with each member's name and value, a repeated name once (with its last value).
    public func forEachMember(_ body: (String, JSONNode) -> Void) {
        switch storage {
        case .tape(let document, let i):
            guard document.nodes[i].kind == .object else { return }
            let end = Int(document.nodes[i].next)
            var name = i + 1
            while name < end {
                if !document.isRepeated(name, in: i) { body(document.string(name), JSONNode(.tape(document, name + 1))) }
                name = Int(document.nodes[name + 1].next)
            }
        case .value(let value):
            for (key, member) in value.objectValue ?? [:] { body(key, JSONNode(member)) }
        }
    }

    /// The JSON pointer (from `""` at this value) of the first string in it holding U+0000, or of
    /// the object whose member name holds it; nil when there is none. Valid JSON (`\u0000`), but
    /// no PostgreSQL text column can store it, so the doors refuse it by this pointer.
    public var pointerToNUL: String? {
        switch storage {
        case .tape(let document, let i):
            return document.firstNULString(within: i).map { document.pointer(to: $0, from: i, base: "") }
        case .value(let value):
            return Self.pointerToNUL(in: value, at: "")
        }
    }

    /// Descends only into what holds U+0000, so a clean value costs one walk and builds no
    /// pointers; among an object's members the first by name is reported.
    private static func pointerToNUL(in value: JSONValue, at pointer: String) -> String? {
        switch value {
        case .string(let text):
            return text.utf8.contains(0) ? pointer : nil
        case .array(let items):
            guard let index = items.firstIndex(where: holdsNUL) else { return nil }
            return pointerToNUL(in: items[index], at: JSONPointer.appending(pointer, index))
        case .object(let members):
            if members.keys.contains(where: { $0.utf8.contains(0) }) { return pointer }
            guard let (key, member) = members.filter({ holdsNUL($0.value) }).min(by: { $0.key < $1.key }) else { return nil }
            return pointerToNUL(in: member, at: JSONPointer.appending(pointer, key))
        case .null, .bool, .number:
            return nil
        }
    }

    /// Whether a string or member name anywhere in `value` holds U+0000.
    private static func holdsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains(where: holdsNUL)
        case .object(let members): members.contains { $0.key.utf8.contains(0) || holdsNUL($0.value) }
        case .null, .bool, .number: false
        }
    }

    /// The value as a tree.
    public var value: JSONValue {
        switch storage {
        case .tape(let document, let i): document.value(i)
        case .value(let value): value
        }
    }
}
