import Store

/// Where read models live in PostgreSQL. With the empty prefix (production): the bookkeeping
/// in `projector`, views in `<department>`, versions in `proj_<department>_<view>_v<N>`.
/// A prefix (`ONEWINDOW_READ_MODEL_PREFIX`) puts a second set beside them in the same
/// database, e.g. for a staging copy or a test.
public struct ReadModelNamespace: Sendable, Hashable {
    public let prefix: String

    /// - Throws: when the prefix would not make plain lower-case identifiers.
    public init(prefix: String = "") throws(StoreError) {
        if !prefix.isEmpty { _ = try SchemaName(prefix + "projector") }
        guard prefix.utf8.count <= 20 else { throw .invalidSchemaName }
        self.prefix = prefix
    }

    /// The projector's bookkeeping schema.
    public var bookkeeping: SchemaName { try! SchemaName(prefix + "projector") }

    /// The schema holding the department's views (`police`, …).
    public func viewSchema(_ definition: ProjectionDefinition) -> String { prefix + definition.department }

    /// The schema of one version's tables.
    public func versionSchema(_ definition: ProjectionDefinition, version: Int) -> String {
        prefix + definition.schemaName(version: version)
    }

    /// The consumer group of one version. It names the topic prefix and this namespace too:
    /// two environments sharing a broker (or two tests) must never share a group, or one
    /// would be handed the other's partitions.
    public func groupID(_ definition: ProjectionDefinition, version: Int, topicPrefix: String) -> String {
        "\(topicPrefix).projector.\(prefix)\(definition.name).v\(version)"
    }
}
