import PostgresNIO

/// Every failure the store reports, as a value.
///
/// `description` stays generic on purpose: stream names, event ids and database messages can
/// carry personal data or secrets, so they live only in associated values, never in log text.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The schema name is not a plain lower-case identifier.
    case invalidSchemaName
    /// The database URL cannot be parsed.
    case invalidDatabaseURL
    /// The stream is not at the version the caller expected; nothing was written.
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int64)
    /// Some, but not all, of the events of one stream append are already stored; nothing was
    /// written. (All of them stored is not an error: it is ``AppendResult/duplicate(positions:)``.)
    case partialDuplicate(stream: String)
    /// Two events of one append share `(source, id)`.
    case repeatedEventInAppend
    /// A migration failed; it was rolled back and later ones were not tried.
    case migrationFailed(schema: String, version: Int, underlying: any Error)
    /// Registered migrations of one schema are not strictly increasing from 1.
    case invalidMigrationOrder(schema: String)
    /// PostgreSQL refused or failed a statement. `sqlState` is the five-character SQLSTATE.
    case database(sqlState: String?, underlying: any Error)

    public var description: String {
        switch self {
        case .invalidSchemaName: "schema name must match ^[a-z_][a-z0-9_]*$"
        case .invalidDatabaseURL: "database URL must look like postgres://user[:password]@host[:port]/database"
        case .versionConflict: "stream is not at the expected version"
        case .partialDuplicate: "some events of the append are already stored"
        case .repeatedEventInAppend: "an append holds the same (source, id) twice"
        case .migrationFailed(let schema, let version, let underlying):
            "migration \(version) of schema \(schema) failed: \(Self.cause(underlying))"
        case .invalidMigrationOrder(let schema): "migrations of schema \(schema) must be numbered 1, 2, 3, …"
        case .database(let sqlState, _): "database error (SQLSTATE \(sqlState ?? "unknown"))"
        }
    }

    /// What went wrong, without PostgreSQL's message text (it can quote data): the SQLSTATE of
    /// a refused statement, or the kind of failure and its transport error (e.g. connection
    /// refused) when the server could not be reached.
    static func cause(_ error: any Error) -> String {
        switch error {
        case let error as StoreError:
            return error.description
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] { return "SQLSTATE \(state)" }
            return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        default:
            return "\(type(of: error))"
        }
    }

    /// Wraps any error from PostgresNIO; passes a `StoreError` through unchanged.
    package static func wrap(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            return .database(sqlState: error.serverInfo?[.sqlState], underlying: error)
        }
        return .database(sqlState: nil, underlying: error)
    }

    /// The SQLSTATE of a wrapped database error.
    var sqlState: String? {
        if case .database(let state, _) = self { return state }
        return nil
    }
}
