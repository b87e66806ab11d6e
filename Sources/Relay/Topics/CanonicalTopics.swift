import Kafka

/// Creating the canonical topics with their partition counts (topics are never auto-created:
/// a topic's partition count fixes how far its consumers scale).
public enum CanonicalTopics {
    /// The default partition count of every canonical topic (12 person, 6 housing, 6 case).
    public static var defaultPartitions: [CanonicalTopic: Int32] {
        Dictionary(uniqueKeysWithValues: CanonicalTopic.allCases.map { ($0, $0.defaultPartitions) })
    }

    /// Creates every canonical topic under `naming` that does not exist yet; existing ones are
    /// left as they are (their partition count is not changed). Returns the names.
    /// - Parameter partitions: per topic; topics missing from it get their default.
    @discardableResult
    public static func ensure(
        admin: KafkaAdmin, naming: TopicNaming,
        partitions: [CanonicalTopic: Int32] = [:], replicationFactor: Int32 = 1
    ) async throws(KafkaError) -> [String] {
        var names: [String] = []
        for topic in CanonicalTopic.allCases {
            let name = naming.name(of: topic)
            try await admin.createTopic(name, partitions: partitions[topic] ?? topic.defaultPartitions,
                                        replicationFactor: replicationFactor)
            names.append(name)
        }
        return names
    }
}
