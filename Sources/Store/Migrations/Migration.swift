import Foundation

/// One versioned step of a schema: statements applied together in one transaction.
///
/// Statements may name the schema as `{schema}`; the ``Migrator`` replaces it with the
/// validated ``SchemaName``. Each string must hold exactly one SQL statement (a `DO` block
/// counts as one), because PostgreSQL's extended protocol refuses several in one message.
public struct Migration: Sendable {
    /// 1, 2, 3, … within its schema; never renumber or edit an applied migration.
    public let version: Int
    /// A short description kept in `schema_migrations`.
    public let name: String
    /// The statements, in order.
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    func statements(in schema: SchemaName) -> [String] {
        statements.map { $0.replacingOccurrences(of: "{schema}", with: schema.rawValue) }
    }
}

/// The ordered migrations of one schema. The store, each read model and the timers each
/// contribute one; `onewindow migrate` hands all of them to one ``Migrator``.
public struct MigrationSet: Sendable {
    public let schema: SchemaName
    public let migrations: [Migration]

    public init(schema: SchemaName, migrations: [Migration]) {
        self.schema = schema
        self.migrations = migrations
    }

    /// Migrations must be numbered 1, 2, 3, … with no gap or repeat.
    func validate() throws(StoreError) {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw .invalidMigrationOrder(schema: schema.rawValue)
        }
    }
}
