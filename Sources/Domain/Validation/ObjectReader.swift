/// Reads the members of one JSON object into typed values, collecting every problem instead of
/// stopping at the first, and reporting members nobody asked for (data objects are closed).
struct ObjectReader {
    let pointer: String
    private let members: JSONNode
    /// The names read so far (a handful of literals; scanned only when some member is unknown).
    private var asked: [String] = []
    /// How many of them were present: when it equals the member count, nothing is unknown.
    private var present = 0
    var errors: [ValidationError] = []

    /// Nil (with an error) when `value` is not an object.
    init?(_ value: JSONNode, at path: FieldPath, errors: inout [ValidationError]) {
        guard value.kind == .object else {
            errors.append(ValidationError(field: path.pointer, reason: "must be an object, got \(value.kindName)"))
            return nil
        }
        self.pointer = path.pointer
        self.members = value
        asked.reserveCapacity(16)  // one allocation, not one per doubling
    }

    /// A member that must be present.
    mutating func required<T>(_ key: String, _ rule: FieldRule<T>) -> T? {
        mark(key)
        let at = FieldPath(pointer, key: key)
        guard let value = members.member(key) else {
            errors.append(ValidationError(field: at.pointer, reason: "is required"))
            return nil
        }
        present += 1
        return rule.read(value, at, &errors)
    }

    /// A member that may be absent; nil both when absent and when invalid (then an error is recorded).
    mutating func optional<T>(_ key: String, _ rule: FieldRule<T>) -> T? {
        mark(key)
        guard let value = members.member(key) else { return nil }
        present += 1
        return rule.read(value, FieldPath(pointer, key: key), &errors)
    }

    /// Notes `key` as asked.
    private mutating func mark(_ key: String) {
        // Readers ask for each member once; checked in debug builds only (it compared every
        // name with all those asked before, for every event).
        assert(!asked.contains(key), "\(key) asked twice")
        asked.append(key)
    }

    /// True when every member was asked for (and no name was repeated).
    var allMembersAsked: Bool { present == members.writtenMemberCount }

    /// Records every member that was never asked for; call after reading all known members.
    /// (`what` is only built when some member is unknown.)
    mutating func rejectUnknown(in what: @autoclosure () -> String) {
        // Repeated names count more than once here, and send reading the slow way below.
        guard present < members.writtenMemberCount else { return }
        members.forEachMember { key, _ in
            guard !asked.contains(key) else { return }
            errors.append(ValidationError(field: JSONPointer.appending(pointer, key),
                                          reason: "is not a field of \(what()); check its spelling against Events/schemas"))
        }
    }

    /// Finishes reading: moves this object's errors to `sink`; true when there were none.
    mutating func finish(into sink: inout [ValidationError]) -> Bool {
        sink += errors
        defer { errors = [] }
        return errors.isEmpty
    }
}

/// A value type that can be read from a closed JSON object and written back.
protocol JSONObjectCodable: Sendable {
    /// Human name of the object for "is not a field of …" messages.
    static var objectName: String { get }
    /// Reads all members (recording problems on the reader); nil when any member is invalid.
    static func read(_ reader: inout ObjectReader) -> Self?
    /// The object written back, optional members left out when absent.
    var jsonMembers: [String: JSONValue] { get }
}

extension JSONObjectCodable {
    var json: JSONValue { .object(jsonMembers) }
}
