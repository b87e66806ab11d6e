import Foundation
import Logging
import PostgresNIO
import Relay
import Store

/// A version of a projection and where it lives.
public struct ProjectionVersion: Sendable, Hashable {
    public enum State: String, Sendable { case building, live, retired }
    public let projection: String
    public let version: Int
    public let schema: String
    public let fingerprint: String
    public let state: State
    /// The handlers the version was created with (nil for a version created before they were
    /// kept: it runs the definition's).
    public let handlers: SQLScript?
    /// What the version was created to consume (nil for a version created before it was kept:
    /// it takes the definition's).
    public let consumption: ProjectionDefinition.Consumption?

    /// What the version consumes: its own, or the definition's for a version that kept none.
    func consumption(or definition: ProjectionDefinition) -> ProjectionDefinition.Consumption {
        consumption ?? definition.consumption
    }
}

/// The live and building versions of one projection.
public struct ProjectionVersions: Sendable, Hashable {
    public var live: ProjectionVersion?
    public var building: ProjectionVersion?
}

/// The projector's bookkeeping in PostgreSQL: creates versions (their schema and tables),
/// exposes the live one as `<department>.<view>`, and switches to a rebuilt one atomically.
public struct ProjectionRegistry: Sendable {
    public let client: PostgresClient
    public let namespace: ReadModelNamespace
    /// The bookkeeping schema (`projector`).
    public var schema: SchemaName { namespace.bookkeeping }
    let logger: Logger

    public init(client: PostgresClient, namespace: ReadModelNamespace, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
    }

    /// The live version of `definition`, creating version 1 (tables and view) when there is none.
    @discardableResult
    public func ensureLive(_ definition: ProjectionDefinition) async throws(StoreError) -> ProjectionVersion {
        if let live = try await versions(of: definition.name).live { return live }
        let (s, logger) = (schema.rawValue, logger)
        return try await client.inTransaction(logger: logger) { connection in
            try await lock(definition.name, connection)
            if let live = try await Self.versions(of: definition.name, schema: s, connection, logger).live { return live }
            let version = try await Self.nextVersion(definition.name, schema: s, connection, logger)
            let created = try await create(definition, version: version, state: .live, connection)
            try await replaceView(definition, schema: created.schema, connection)
            logger.info("projection created", metadata: ["projection": "\(definition.name)", "version": "\(version)"])
            return created
        }
    }

    /// Starts version N+1 of `definition` beside the live one (empty, read from offset 0).
    /// An unfinished rebuild of the same definition is returned as it is; one of an older
    /// definition is dropped and started again.
    public func startBuilding(_ definition: ProjectionDefinition) async throws(StoreError) -> ProjectionVersion {
        try await ensureLive(definition)
        let (s, logger) = (schema.rawValue, logger)
        return try await client.inTransaction(logger: logger) { connection in
            try await lock(definition.name, connection)
            if let building = try await Self.versions(of: definition.name, schema: s, connection, logger).building {
                if building.fingerprint == definition.fingerprint { return building }
                try await drop(building, connection)
            }
            let version = try await Self.nextVersion(definition.name, schema: s, connection, logger)
            let created = try await create(definition, version: version, state: .building, connection)
            logger.info("projection rebuild started", metadata: ["projection": "\(definition.name)", "version": "\(version)"])
            return created
        }
    }

    /// Makes `building` the live version if it has consumed at least as far as the live one
    /// on every partition. In one transaction: the live version's offsets are locked (its next
    /// batch waits), the view is pointed at the new tables, and the old version is retired and
    /// its tables dropped. Readers see the old rows or the new ones, never a mixture.
    public func switchIfCaughtUp(_ definition: ProjectionDefinition, building: Int) async throws(StoreError) -> Bool {
        let (s, logger) = (schema.rawValue, logger)
        return try await client.inTransaction(logger: logger) { connection in
            try await lock(definition.name, connection)
            let current = try await Self.versions(of: definition.name, schema: s, connection, logger)
            guard let next = current.building, next.version == building else { return false }
            if let live = current.live {
                // Lock the live version first: its in-flight batch commits before we compare.
                try await connection.query(
                    "SELECT 1 FROM \(unescaped: s).versions WHERE projection = \(definition.name) AND version = \(live.version) FOR UPDATE",
                    logger: logger)
                let rows = try await connection.collect(
                    """
                    SELECT count(*) FROM \(unescaped: s).offsets l
                    LEFT JOIN \(unescaped: s).offsets b
                      ON b.projection = l.projection AND b.version = \(building) AND b.topic = l.topic AND b.partition = l.partition
                    WHERE l.projection = \(definition.name) AND l.version = \(live.version)
                      AND coalesce(b.next_offset, 0) < l.next_offset
                    """, logger: logger)
                let behind = try rows.first?.decode(Int64.self) ?? 0
                guard behind == 0 else { return false }
                try await connection.query(
                    "UPDATE \(unescaped: s).versions SET state = 'retired', switched_at = now() WHERE projection = \(definition.name) AND version = \(live.version)",
                    logger: logger)
            }
            try await connection.query(
                "UPDATE \(unescaped: s).versions SET state = 'live', switched_at = now() WHERE projection = \(definition.name) AND version = \(building)",
                logger: logger)
            try await replaceView(definition, schema: next.schema, connection)
            if let live = current.live { try await drop(live, connection, keepRow: true) }
            logger.info("projection switched", metadata: ["projection": "\(definition.name)", "version": "\(building)"])
            return true
        }
    }

    /// The live and building versions of `projection`.
    public func versions(of projection: String) async throws(StoreError) -> ProjectionVersions {
        let (s, logger) = (schema.rawValue, logger)
        return try await client.inTransaction(logger: logger) { connection in
            try await Self.versions(of: projection, schema: s, connection, logger)
        }
    }

    /// The next offset to read per partition, as stored by `version` (partitions it never
    /// consumed start at 0).
    public func offsets(projection: String, version: Int, partitions: [(topic: String, partition: Int32)]) async throws(StoreError) -> [String: [Int32: Int64]] {
        let rows = try await client.collect(
            "SELECT topic, partition, next_offset FROM \(unescaped: schema.rawValue).offsets WHERE projection = \(projection) AND version = \(version)",
            logger: logger)
        var stored: [String: [Int32: Int64]] = [:]
        do {
            for row in rows {
                let (topic, partition, next) = try row.decode((String, Int32, Int64).self)
                stored[topic, default: [:]][partition] = next
            }
        } catch {
            throw StoreError.wrap(error)
        }
        var result: [String: [Int32: Int64]] = [:]
        for (topic, partition) in partitions { result[topic, default: [:]][partition] = stored[topic]?[partition] ?? 0 }
        return result
    }

    // MARK: - In a transaction

    private func lock(_ projection: String, _ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('onewindow.projector.' || \(projection)))", logger: logger)
    }

    static func versions(of projection: String, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> ProjectionVersions {
        let rows = try await connection.collect(
            """
            SELECT version, schema_name, fingerprint, state, handlers, topics, types, reveal
            FROM \(unescaped: s).versions WHERE projection = \(projection) AND state <> 'retired'
            """,
            logger: logger)
        var result = ProjectionVersions()
        for row in rows {
            let (version, schemaName, fingerprint, state, handlers, topics, types, reveal) =
                try row.decode((Int, String, String, String, String?, [String]?, [String]?, Bool?).self)
            var consumption: ProjectionDefinition.Consumption?
            if let topics, let types, let reveal {
                consumption = .init(topics: topics.compactMap(CanonicalTopic.init(rawValue:)), types: Set(types), reveal: reveal)
            }
            let value = ProjectionVersion(projection: projection, version: version, schema: schemaName, fingerprint: fingerprint,
                                          state: ProjectionVersion.State(rawValue: state) ?? .retired, handlers: handlers.map(SQLScript.init),
                                          consumption: consumption)
            switch value.state {
            case .live: result.live = value
            case .building: result.building = value
            case .retired: break
            }
        }
        return result
    }

    static func nextVersion(_ projection: String, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        let rows = try await connection.collect(
            "SELECT coalesce(max(version), 0) + 1 FROM \(unescaped: s).versions WHERE projection = \(projection)", logger: logger)
        return try rows.first?.decode(Int.self) ?? 1
    }

    private func create(_ definition: ProjectionDefinition, version: Int, state: ProjectionVersion.State,
                        _ connection: PostgresConnection) async throws -> ProjectionVersion {
        let target = namespace.versionSchema(definition, version: version)
        let s = schema.rawValue
        try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(target) CASCADE"), logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(target)"), logger: logger)
        for statement in definition.schemaSQL.rendered(schema: target) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await connection.query(
            """
            INSERT INTO \(unescaped: s).versions (projection, version, schema_name, fingerprint, state, handlers, topics, types, reveal)
            VALUES (\(definition.name), \(version), \(target), \(definition.fingerprint), \(state.rawValue), \(definition.handlersSQL.text),
                    \(definition.topics.map(\.rawValue)), \(definition.types.sorted()), \(definition.reveal))
            """, logger: logger)
        try await connection.query(
            "INSERT INTO \(unescaped: s).progress (projection, version) VALUES (\(definition.name), \(version))", logger: logger)
        return ProjectionVersion(projection: definition.name, version: version, schema: target,
                                 fingerprint: definition.fingerprint, state: state, handlers: definition.handlersSQL,
                                 consumption: definition.consumption)
    }

    private func replaceView(_ definition: ProjectionDefinition, schema target: String, _ connection: PostgresConnection) async throws {
        let select = definition.viewSQL.replacingOccurrences(of: "{{schema}}", with: target)
        let views = namespace.viewSchema(definition)
        // Projections of one department start together; CREATE SCHEMA IF NOT EXISTS races.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('onewindow.projector.schema.' || \(views)))", logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(views)"), logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "DROP VIEW IF EXISTS \(views).\(definition.sqlName)"), logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE VIEW \(views).\(definition.sqlName) AS \(select)"), logger: logger)
    }

    /// Drops a version's tables and its offsets and progress; a retired version keeps its
    /// row (and its parked events) for the record.
    private func drop(_ version: ProjectionVersion, _ connection: PostgresConnection, keepRow: Bool = false) async throws {
        let s = schema.rawValue
        try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(version.schema) CASCADE"), logger: logger)
        try await connection.query(
            "DELETE FROM \(unescaped: s).offsets WHERE projection = \(version.projection) AND version = \(version.version)", logger: logger)
        try await connection.query(
            "DELETE FROM \(unescaped: s).progress WHERE projection = \(version.projection) AND version = \(version.version)", logger: logger)
        if !keepRow {
            try await connection.query(
                "DELETE FROM \(unescaped: s).versions WHERE projection = \(version.projection) AND version = \(version.version)", logger: logger)
            try await connection.query(
                "DELETE FROM \(unescaped: s).parked WHERE projection = \(version.projection) AND version = \(version.version)", logger: logger)
        }
    }
}
