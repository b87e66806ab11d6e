import Foundation
import Kafka
import Logging
import PostgresNIO
import Relay
import Store

/// Where one version of a projection stands.
public struct ProjectionStatus: Sendable {
    public struct PartitionLag: Sendable, Hashable {
        public let topic: String
        public let partition: Int32
        /// The next offset this version reads.
        public let nextOffset: Int64
        /// The broker's high-water mark.
        public let highWatermark: Int64
        public var lag: Int64 { max(0, highWatermark - nextOffset) }
    }

    public let projection: String
    public let version: Int
    public let state: ProjectionVersion.State
    /// The loaded definition differs from the one this version was built from.
    public let stale: Bool
    public let applied: Int64
    public let lastPosition: Int64?
    public let lastEventTime: Date?
    public let parked: Int64
    public let partitions: [PartitionLag]
    public var lag: Int64 { partitions.reduce(0) { $0 + $1.lag } }
}

/// Reads the status of every version that is live or building.
public struct ProjectionStatusReader: Sendable {
    let registry: ProjectionRegistry
    let kafka: KafkaClientConfiguration
    let naming: TopicNaming
    let logger: Logger

    public init(registry: ProjectionRegistry, kafka: KafkaClientConfiguration, naming: TopicNaming, logger: Logger) {
        (self.registry, self.kafka, self.naming, self.logger) = (registry, kafka, naming, logger)
    }

    /// The status of each of `definitions`' live and building versions (those never started
    /// are absent).
    public func read(_ definitions: [ProjectionDefinition]) async throws -> [ProjectionStatus] {
        let s = registry.schema.rawValue
        let rows = try await registry.client.collect(
            """
            SELECT v.projection, v.version, v.state, v.fingerprint, coalesce(p.applied, 0), p.last_position, p.last_event_time,
                   (SELECT count(*) FROM \(unescaped: s).parked k WHERE k.projection = v.projection AND k.version = v.version),
                   v.topics
            FROM \(unescaped: s).versions v
            LEFT JOIN \(unescaped: s).progress p ON p.projection = v.projection AND p.version = v.version
            WHERE v.state <> 'retired'
            ORDER BY v.projection, v.version
            """, logger: logger)
        let offsetRows = try await registry.client.collect(
            "SELECT projection, version, topic, partition, next_offset FROM \(unescaped: s).offsets", logger: logger)
        var offsets: [String: [String: [Int32: Int64]]] = [:]
        for row in offsetRows {
            let (projection, version, topic, partition, next) = try row.decode((String, Int, String, Int32, Int64).self)
            offsets["\(projection)#\(version)", default: [:]][topic, default: [:]][partition] = next
        }
        let byName = Dictionary(uniqueKeysWithValues: definitions.map { ($0.name, $0) })
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        // Each version's own topics (a live version consumes what it was made with).
        var versions: [(row: PostgresRow, topics: [CanonicalTopic])] = []
        for row in rows {
            let cells = row.makeRandomAccess()
            guard let definition = byName[try cells[0].decode(String.self)] else { continue }
            let kept = try cells[8].decode([String]?.self)
            versions.append((row, kept.map { $0.compactMap(CanonicalTopic.init(rawValue:)) } ?? definition.topics))
        }
        var marks: [String: [KafkaWatermarks]] = [:]
        for topic in Set(versions.flatMap(\.topics)) {
            let name = naming.name(of: topic)
            marks[name] = (try? await admin.watermarks(name)) ?? []
        }
        var result: [ProjectionStatus] = []
        for (row, topics) in versions {
            let (projection, version, state, fingerprint, applied, lastPosition, lastTime, parked, _) =
                try row.decode((String, Int, String, String, Int64, Int64?, Date?, Int64, [String]?).self)
            guard let definition = byName[projection] else { continue }
            var partitions: [ProjectionStatus.PartitionLag] = []
            for topic in topics {
                let name = naming.name(of: topic)
                for mark in marks[name] ?? [] {
                    let next = offsets["\(projection)#\(version)"]?[name]?[mark.partition.partition] ?? 0
                    partitions.append(.init(topic: name, partition: mark.partition.partition, nextOffset: next, highWatermark: mark.high))
                }
            }
            result.append(ProjectionStatus(
                projection: projection, version: version, state: ProjectionVersion.State(rawValue: state) ?? .retired,
                stale: fingerprint != definition.fingerprint, applied: applied, lastPosition: lastPosition,
                lastEventTime: lastTime, parked: parked, partitions: partitions))
        }
        return result
    }
}
