import Domain
import Foundation

/// The labelled examples of `Events/examples/`, found from this file's real location (the test
/// folder may be reached through a symlink; CI runs in a fresh clone elsewhere).
struct Example: Sendable, CustomStringConvertible {
    let name: String
    /// The whole CloudEvent, as JSON.
    let event: JSONValue
    /// The field an invalid example breaks; nil for a valid one.
    let brokenField: String?

    var description: String { name }
    var id: String? { event.objectValue?["id"]?.stringValue }
    var source: String? { event.objectValue?["source"]?.stringValue }
    /// The organization the example's source names (`/orgs/<org>/…`): whose token sends it.
    var sendingOrganization: String {
        source?.split(separator: "/").dropFirst().first.map(String.init) ?? "public-security"
    }

    /// The same event with another id (so that each example has its own status).
    func withID(_ id: String) -> JSONValue {
        guard case .object(var m) = event, m["id"] != nil else { return event }
        m["id"] = .string(id)
        return .object(m)
    }

    static let directory: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Events/examples")

    static func all() throws -> [Example] {
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        return try files.sorted { $0.path < $1.path }.map { url in
            let json = try JSONValue.parse(Array(try Data(contentsOf: url)))
            let name = url.deletingPathExtension().lastPathComponent
            let type = url.deletingLastPathComponent().lastPathComponent
            if name.hasPrefix("invalid-"), let wrapper = json.objectValue, let event = wrapper["event"] {
                return Example(name: type + "/" + name, event: event, brokenField: wrapper["expect"]?.objectValue?["field"]?.stringValue)
            }
            return Example(name: type + "/" + name, event: json, brokenField: nil)
        }
    }

    static var invalid: [Example] { ((try? all()) ?? []).filter { $0.brokenField != nil } }
    static var valid: [Example] { ((try? all()) ?? []).filter { $0.brokenField == nil } }

    static func named(_ name: String) throws -> Example {
        guard let example = try all().first(where: { $0.name == name }) else { throw MissingExample(name: name) }
        return example
    }

    struct MissingExample: Error { let name: String }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? { objectValue?[key] }

    var text: String { String(decoding: encoded(), as: UTF8.self) }

    var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }

    /// A copy without the top-level `key`.
    func removing(_ key: String) -> JSONValue {
        guard case .object(var m) = self else { return self }
        m[key] = nil
        return .object(m)
    }

    /// A copy with `value` at the top-level `key` or, with a path, inside nested objects.
    func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let first = path.first, case .object(var m) = self else { return self }
        m[first] = path.count == 1 ? value : (m[first] ?? .object([:])).setting(Array(path.dropFirst()), to: value)
        return .object(m)
    }
}
