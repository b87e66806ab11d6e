import Foundation
import Relay
import Yams

/// One department read model, as its folder in `Projections/<department>/<view>/` declares it:
/// what it consumes, its columns (and which are personal), and its SQL.
public struct ProjectionDefinition: Sendable, Hashable {
    /// `<department>.<view>`, e.g. `police.housing-units`.
    public let name: String
    public let department: String
    /// The view's name in SQL (`housing_units`): `<department>.<sqlName>` is what readers query.
    public let sqlName: String
    public let description: String
    public let topics: [CanonicalTopic]
    /// Event types handed to the handlers; other events only advance the offsets.
    public let types: Set<String>
    /// Personal fields arrive decrypted in the batch (only with a personal column).
    public let reveal: Bool
    public let key: [String]
    public let columns: [ViewColumn]
    public let schemaSQL: SQLScript
    public let handlersSQL: SQLScript
    public let viewSQL: String
    /// A digest of everything above: a changed definition needs a new version.
    public let fingerprint: String

    /// The column readers call `name`.
    public func column(_ name: String) -> ViewColumn? { columns.first { $0.name == name } }

    public var hasPersonalColumns: Bool { columns.contains(where: \.personal) }

    /// The schema of version `version`: `proj_<department>_<view>_v<N>`.
    public func schemaName(version: Int) -> String { "proj_\(department)_\(sqlName)_v\(version)" }

    /// What a version of this definition consumes.
    public var consumption: Consumption { Consumption(topics: topics, types: types, reveal: reveal) }

    /// What a version consumes and how its handlers see it: kept with the version (as its
    /// handlers are), so a live version runs on as it was made while a changed definition is
    /// rebuilt beside it.
    public struct Consumption: Sendable, Hashable {
        public let topics: [CanonicalTopic]
        /// Event types handed to the handlers; other events only advance the offsets.
        public let types: Set<String>
        /// Personal fields arrive decrypted in the batch.
        public let reveal: Bool
    }
}

/// A column of a view.
public struct ViewColumn: Sendable, Hashable {
    public let name: String
    public let type: ColumnType
    /// A name, identity number or phone: only readers with person scope see it.
    public let personal: Bool
    /// Readers may filter on it (equality).
    public let filter: Bool
    public let description: String?
}

/// The SQL types a view column may have.
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
    case text, uuid, date, timestamptz, integer, bigint, numeric, boolean
}

/// Why a projection folder cannot be used: the file and the field, in one sentence.
public struct ProjectionDefinitionError: Error, Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let field: String?
    public let problem: String

    public var description: String {
        if let field { return "\(file): \(field): \(problem)" }
        return "\(file): \(problem)"
    }
}

extension ProjectionDefinition {
    /// What `projection.yaml` holds.
    struct Manifest: Decodable {
        var name: String?
        var description: String?
        var topics: [String]?
        var types: [String]?
        var reveal: Bool?
        var key: [String]?
        var columns: [Column]?

        struct Column: Decodable {
            var name: String?
            var type: String?
            var personal: Bool?
            var filter: Bool?
            var description: String?
        }
    }

    /// Loads and checks the projection in `folder`.
    public static func load(folder: URL) throws(ProjectionDefinitionError) -> ProjectionDefinition {
        let manifestFile = folder.appendingPathComponent("projection.yaml")
        let label = folder.lastPathComponent
        func read(_ name: String) throws(ProjectionDefinitionError) -> String {
            let url = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ProjectionDefinitionError(file: url.path, field: nil, problem: "cannot be read")
            }
            return text
        }
        let yaml = try read("projection.yaml")
        let manifest: Manifest
        do {
            manifest = try YAMLDecoder().decode(Manifest.self, from: yaml)
        } catch {
            throw ProjectionDefinitionError(file: manifestFile.path, field: nil, problem: "is not valid YAML for a projection (\(error))")
        }
        let fail = { (field: String, problem: String) in ProjectionDefinitionError(file: manifestFile.path, field: field, problem: problem) }

        guard let name = manifest.name else { throw fail("name", "is missing") }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(Self.isIdentifierish) else {
            throw fail("name", "must be <department>.<view> in lower case letters, digits and '-' (got \(name))")
        }
        let department = parts[0].replacingOccurrences(of: "-", with: "_")
        let sqlName = parts[1].replacingOccurrences(of: "-", with: "_")
        guard folder.deletingLastPathComponent().lastPathComponent == parts[0], label == parts[1] else {
            throw fail("name", "\(name) does not match its folder \(parts[0])/\(parts[1]) (found \(folder.deletingLastPathComponent().lastPathComponent)/\(label))")
        }
        guard let topicNames = manifest.topics, !topicNames.isEmpty else { throw fail("topics", "must list at least one of person, housing, case") }
        var topics: [CanonicalTopic] = []
        for topic in topicNames {
            guard let canonical = CanonicalTopic(rawValue: topic) else { throw fail("topics", "unknown topic \(topic) (person, housing or case)") }
            topics.append(canonical)
        }
        guard let types = manifest.types, !types.isEmpty else { throw fail("types", "must list the event types the handlers read") }
        guard let columnList = manifest.columns, !columnList.isEmpty else { throw fail("columns", "must list the view's columns") }
        var columns: [ViewColumn] = []
        for (index, column) in columnList.enumerated() {
            guard let columnName = column.name, Self.isColumnName(columnName) else {
                throw fail("columns[\(index)].name", "must be a letter followed by letters and digits")
            }
            guard !columns.contains(where: { $0.name == columnName }) else { throw fail("columns[\(index)].name", "\(columnName) is declared twice") }
            guard let typeName = column.type, let type = ColumnType(rawValue: typeName) else {
                throw fail("columns[\(index)].type", "must be one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            columns.append(ViewColumn(name: columnName, type: type, personal: column.personal ?? false,
                                      filter: column.filter ?? false, description: column.description))
        }
        guard let key = manifest.key, !key.isEmpty else { throw fail("key", "must name the columns that identify a row") }
        for column in key where !columns.contains(where: { $0.name == column }) {
            throw fail("key", "\(column) is not a declared column")
        }
        for column in columns where column.personal && (column.filter || key.contains(column.name)) {
            throw fail("columns", "\(column.name) is personal, so it can be neither a filter nor part of the key")
        }
        let reveal = manifest.reveal ?? false
        if reveal, !columns.contains(where: \.personal) {
            throw fail("reveal", "is true but no column is personal: a view without personal columns never sees decrypted data")
        }

        let schemaText = try read("schema.sql")
        let handlersText = try read("handlers.sql")
        let viewText = try read("view.sql")
        let schemaSQL = SQLScript(schemaText)
        let handlersSQL = SQLScript(handlersText)
        guard !schemaSQL.statements.isEmpty else {
            throw ProjectionDefinitionError(file: folder.appendingPathComponent("schema.sql").path, field: nil, problem: "has no statement")
        }
        guard !handlersSQL.statements.isEmpty else {
            throw ProjectionDefinitionError(file: folder.appendingPathComponent("handlers.sql").path, field: nil, problem: "has no statement")
        }
        let viewSQL = viewText.trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: ";")).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !viewSQL.isEmpty else {
            throw ProjectionDefinitionError(file: folder.appendingPathComponent("view.sql").path, field: nil, problem: "has no SELECT")
        }
        let fingerprint = Fingerprint.of([yaml, schemaText, handlersText, viewText])
        return ProjectionDefinition(
            name: name, department: department, sqlName: sqlName, description: manifest.description ?? "",
            topics: topics, types: Set(types), reveal: reveal, key: key, columns: columns,
            schemaSQL: schemaSQL, handlersSQL: handlersSQL, viewSQL: viewSQL, fingerprint: fingerprint)
    }

    static func isIdentifierish(_ text: String) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
            && text.utf8.count <= 24
    }

    /// An ASCII letter followed by ASCII letters and digits, at most 48 (`personId`).
    static func isColumnName(_ text: String) -> Bool {
        let isLetter = { (b: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b | 0x20) }
        let isDigit = { (b: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        guard let first = text.utf8.first, isLetter(first), text.utf8.count <= 48 else { return false }
        return text.utf8.allSatisfy { isLetter($0) || isDigit($0) }
    }
}
