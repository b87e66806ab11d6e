import Domain
import Foundation
import Logging
import PostgresNIO
import Store

/// A read of one view: equality filters on declared filter columns, a page size, and the
/// cursor of the previous page. Rows come in the order of the view's key, so a cursor is
/// stable while rows change.
public struct ViewQuery: Sendable, Hashable {
    public var filters: [String: String]
    public var cursor: String?
    public var limit: Int
    /// Whether personal columns are filled (roles with person scope) or null.
    public var includePersonal: Bool

    public static let maximumLimit = 1_000

    public init(filters: [String: String] = [:], cursor: String? = nil, limit: Int = 100, includePersonal: Bool = false) {
        (self.filters, self.cursor, self.limit, self.includePersonal) = (filters, cursor, limit, includePersonal)
    }
}

/// A page of a view: the rows (values in the order of `columns`) and the cursor of the next
/// page, `nil` on the last one.
public struct ViewPage: Sendable, Hashable {
    public let columns: [ViewColumn]
    public let rows: [[JSONValue]]
    public let nextCursor: String?
}

/// Why a query cannot run; `field` names the parameter.
public struct ViewQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let problem: String
    public var description: String { "\(field): \(problem)" }
}

/// Runs ``ViewQuery``s against the live version of a view (`<department>.<view>`).
public struct ViewReader: Sendable {
    let client: PostgresClient
    let namespace: ReadModelNamespace
    let logger: Logger

    public init(client: PostgresClient, namespace: ReadModelNamespace, logger: Logger) {
        (self.client, self.namespace, self.logger) = (client, namespace, logger)
    }

    public func read(_ definition: ProjectionDefinition, _ query: ViewQuery) async throws -> ViewPage {
        let (statement, limit) = try Self.statement(definition, query, schema: namespace.viewSchema(definition))
        var rows: [[JSONValue]] = []
        var keys: [[String]] = []
        for row in try await client.collect(statement, logger: logger) {
            let cells = row.makeRandomAccess()
            var values: [JSONValue] = []
            for (index, column) in definition.columns.enumerated() {
                values.append(Self.value(try cells[index].decode(String?.self), column.type))
            }
            keys.append(try (0..<definition.key.count).map { try cells[definition.columns.count + $0].decode(String.self) })
            rows.append(values)
        }
        var next: String?
        if rows.count > limit {
            rows.removeLast(rows.count - limit)
            next = ViewCursor.encode(keys[limit - 1])
        }
        return ViewPage(columns: definition.columns, rows: rows, nextCursor: next)
    }

    /// The statement for `query` and the page size (it fetches one row more, to know whether
    /// there is a next page).
    static func statement(_ definition: ProjectionDefinition, _ query: ViewQuery, schema: String) throws(ViewQueryError) -> (PostgresQuery, Int) {
        guard (1...ViewQuery.maximumLimit).contains(query.limit) else {
            throw ViewQueryError(field: "limit", problem: "must be between 1 and \(ViewQuery.maximumLimit)")
        }
        var bindings = PostgresBindings()
        var conditions: [String] = []
        for (name, value) in query.filters.sorted(by: { $0.key < $1.key }) {
            guard let column = definition.column(name) else {
                throw ViewQueryError(field: name, problem: "is not a column of \(definition.name) (columns: \(definition.columns.map(\.name).joined(separator: ", ")))")
            }
            guard column.filter else {
                let filters = definition.columns.filter(\.filter).map(\.name)
                throw ViewQueryError(field: name, problem: "cannot be filtered on (filters of \(definition.name): \(filters.joined(separator: ", ")))")
            }
            try ViewValueCheck.check(value, column.type, field: name)
            bindings.append(value)
            conditions.append("\"\(name)\" = $\(bindings.count)::\(column.type.rawValue)")
        }
        let keyColumns = definition.key.compactMap(definition.column)
        if let cursor = query.cursor {
            guard let values = ViewCursor.decode(cursor), values.count == keyColumns.count else {
                throw ViewQueryError(field: "cursor", problem: "is not a cursor this view gave out")
            }
            var placeholders: [String] = []
            for (value, column) in zip(values, keyColumns) {
                try ViewValueCheck.check(value, column.type, field: "cursor")
                bindings.append(value)
                placeholders.append("$\(bindings.count)::\(column.type.rawValue)")
            }
            let left = keyColumns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            conditions.append("(\(left)) > (\(placeholders.joined(separator: ", ")))")
        }
        let selected = definition.columns.map { column in
            column.personal && !query.includePersonal ? "NULL::text" : rendered(column.name, column.type)
        } + keyColumns.map { rendered($0.name, $0.type) }
        var sql = "SELECT \(selected.joined(separator: ", ")) FROM \(schema).\(definition.sqlName)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + keyColumns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        sql += " LIMIT \(query.limit + 1)"
        return (PostgresQuery(unsafeSQL: sql, binds: bindings), query.limit)
    }

    /// The text rendering of a value of `type` as SQL (what examples and cursors compare).
    public static func rendered(_ column: String, _ type: ColumnType) -> String {
        let quoted = "\"\(column)\""
        switch type {
        case .date: return "to_char(\(quoted), 'YYYY-MM-DD')"
        case .timestamptz: return "to_char(\(quoted) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        default: return "\(quoted)::text"
        }
    }

    static func value(_ text: String?, _ type: ColumnType) -> JSONValue {
        guard let text else { return .null }
        switch type {
        case .integer, .bigint, .numeric: return Double(text).map(JSONValue.number) ?? .string(text)
        case .boolean: return .bool(text == "true")
        default: return .string(text)
        }
    }
}

/// The opaque cursor: the key values of the last row of a page, base64url of a JSON array.
enum ViewCursor {
    static func encode(_ values: [String]) -> String {
        let json = JSONValue.array(values.map(JSONValue.string)).encoded()
        return Data(json).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> [String]? {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard cursor.count <= 4_096, let data = Data(base64Encoded: text),
              case .array(let items)? = try? JSONValue.parse(Array(data)) else { return nil }
        let values = items.compactMap { (item: JSONValue) in item.stringValue }
        return values.count == items.count ? values : nil
    }
}

/// Checks a filter or cursor value against its column's type before PostgreSQL sees it.
enum ViewValueCheck {
    static func check(_ value: String, _ type: ColumnType, field: String) throws(ViewQueryError) {
        let ok: Bool
        switch type {
        case .text: ok = value.utf8.count <= 1_000
        case .uuid: ok = UUID(uuidString: value) != nil
        case .date: ok = (try? CalendarDate(iso: value)) != nil
        case .timestamptz: ok = (try? EventTime(value)) != nil
        case .integer: ok = Int32(value) != nil
        case .bigint: ok = Int64(value) != nil
        case .numeric: ok = Double(value) != nil
        case .boolean: ok = value == "true" || value == "false"
        }
        guard ok else { throw ViewQueryError(field: field, problem: "'\(value.prefix(60))' is not a valid \(type.rawValue)") }
    }
}
