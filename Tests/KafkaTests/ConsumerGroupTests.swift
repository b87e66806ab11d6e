import Foundation
import Kafka
import Testing

/// Stands in for the application's database: the results of processing and the next offset
/// per partition change together, as a projector's transaction would make them.
actor ApplicationLedger {
    private(set) var offsets: [KafkaTopicPartition: Int64] = [:]
    private(set) var processed: [String] = []
    private(set) var processedBy: [String: Int] = [:]

    func apply(_ batch: [KafkaMessage], member: String) {
        for m in batch {
            let expected = offsets[m.topicPartition] ?? 0
            // Exactly-once guard: a record below the stored offset was applied already.
            guard m.offset >= expected else { continue }
            processed.append(m.value.string)
            processedBy[member, default: 0] += 1
            offsets[m.topicPartition] = m.offset + 1
        }
    }

    func offsets(for partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: Int64] {
        offsets.filter { partitions.contains($0.key) }
    }

    func set(_ tp: KafkaTopicPartition, _ offset: Int64) { offsets[tp] = offset }
}

@Suite("Consumer groups with application-stored offsets")
struct ConsumerGroupTests {
    let stack: KafkaTestStack

    init() throws { stack = try KafkaTestStack() }

    private func member(_ group: String, _ topic: String, _ ledger: ApplicationLedger) throws -> KafkaConsumer {
        try KafkaConsumer(configuration: stack.consumerConfiguration(group: group), topics: [topic],
                          offsetsOnAssign: { partitions in await ledger.offsets(for: partitions) },
                          logger: stack.logger)
    }

    @Test func twoMembersSplitPartitionsAndTheSurvivorResumesFromTheApplicationsOffsets() async throws {
        let topic = try await stack.makeTopic(partitions: 4)
        let group = stack.uniqueName("g")
        let ledger = ApplicationLedger()
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 2_000) { i in
                KafkaOutgoingMessage(topic: topic, key: "k\(i % 50)".bytes, value: "first-\(i)".bytes)
            }
        }
        let a = try member(group, topic, ledger)
        let b = try member(group, topic, ledger)

        // Both members poll (small batches) until the group has settled on a split of the
        // four partitions and b has applied some records of its own.
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(60))
        while clock.now < end {
            async let fromA = a.poll(maxMessages: 50, timeout: .milliseconds(200))
            async let fromB = b.poll(maxMessages: 50, timeout: .milliseconds(200))
            let (batchA, batchB) = try await (fromA, fromB)
            await ledger.apply(batchA, member: "a")
            await ledger.apply(batchB, member: "b")
            let settled = !a.assignment.isEmpty && !b.assignment.isEmpty && a.assignment.union(b.assignment).count == 4
            if settled, await ledger.processedBy["b", default: 0] > 0 { break }
        }
        #expect(a.assignment.isDisjoint(with: b.assignment))
        #expect(a.assignment.union(b.assignment).count == 4)
        #expect(!b.assignment.isEmpty)

        // b leaves; a must take over b's partitions exactly where the ledger says.
        await b.close()
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 1_000) { i in
                KafkaOutgoingMessage(topic: topic, key: "k\(i % 50)".bytes, value: "second-\(i)".bytes)
            }
        }
        let done = try await pollUntil(a) { batch in
            await ledger.apply(batch, member: "a")
            return await ledger.processed.count >= 3_000 && a.assignment.count == 4
        }
        let extra = try await a.poll(maxMessages: 1_000, timeout: .milliseconds(500))
        await a.close()
        #expect(done)
        let processed = await ledger.processed
        #expect(processed.count == 3_000)
        #expect(Set(processed).count == 3_000, "no record applied twice")
        #expect(extra.isEmpty, "no replay beyond the stored offsets")
        #expect(await ledger.processedBy["b", default: 0] > 0)
    }

    @Test func aRestartedConsumerResumesExactlyAtTheStoredOffsets() async throws {
        let topic = try await stack.makeTopic(partitions: 1)
        let group = stack.uniqueName("g")
        let ledger = ApplicationLedger()
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 100) { i in KafkaOutgoingMessage(topic: topic, value: "\(i)".bytes) }
        }
        let tp = KafkaTopicPartition(topic: topic, partition: 0)
        await ledger.set(tp, 40)  // the application stored offset 40 before it stopped

        let restarted = try member(group, topic, ledger)
        var values: [Int] = []
        var firstOffset: Int64?
        let done = try await pollUntil(restarted) { batch in
            if firstOffset == nil { firstOffset = batch.first?.offset }
            values += batch.map { Int($0.value.string)! }
            return values.count >= 60
        }
        await restarted.close()
        #expect(done)
        #expect(firstOffset == 40)
        #expect(values == Array(40..<100))
    }

    @Test func kafkaCommittedOffsetsAreUsedWhenTheApplicationHasNone() async throws {
        let topic = try await stack.makeTopic(partitions: 1)
        let group = stack.uniqueName("g")
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 30) { i in KafkaOutgoingMessage(topic: topic, value: "\(i)".bytes) }
        }
        let first = try KafkaConsumer(configuration: stack.consumerConfiguration(group: group), topics: [topic], logger: stack.logger)
        var read: [KafkaMessage] = []
        _ = try await pollUntil(first) { batch in read += batch; return read.count >= 30 }
        try await first.commit([KafkaTopicPartition(topic: topic, partition: 0): 10])
        await first.close()

        let second = try KafkaConsumer(configuration: stack.consumerConfiguration(group: group), topics: [topic], logger: stack.logger)
        var again: [KafkaMessage] = []
        _ = try await pollUntil(second) { batch in again += batch; return again.count >= 20 }
        await second.close()
        #expect(again.first?.offset == 10)
        #expect(again.count == 20)
    }

    @Test func pausedPartitionsDeliverNothingUntilResumed() async throws {
        let topic = try await stack.makeTopic(partitions: 1)
        let consumer = try KafkaConsumer(configuration: stack.consumerConfiguration(group: stack.uniqueName("g")),
                                         topics: [topic], logger: stack.logger)
        let tp = KafkaTopicPartition(topic: topic, partition: 0)
        _ = try await pollUntil(consumer) { _ in consumer.assignment.contains(tp) }
        try await consumer.pause([tp])
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 10) { i in KafkaOutgoingMessage(topic: topic, value: "\(i)".bytes) }
        }
        let whilePaused = try await consumer.poll(maxMessages: 100, timeout: .seconds(1))
        try await consumer.resume([tp])
        var afterResume: [KafkaMessage] = []
        _ = try await pollUntil(consumer) { batch in afterResume += batch; return afterResume.count >= 10 }
        await consumer.close()
        #expect(whilePaused.isEmpty)
        #expect(afterResume.count == 10)
    }

    /// Benchmarks delete what they created; deleting twice (or a topic never made) is fine.
    @Test func aDeletedTopicIsGoneAndDeletingItAgainIsFine() async throws {
        let topic = try await stack.makeTopic(partitions: 2)
        let admin = try KafkaAdmin(configuration: stack.client, logger: stack.logger)
        _ = try await stack.withProducer { try await $0.send(KafkaOutgoingMessage(topic: topic, value: "x".bytes)) }
        #expect(try await admin.topicNames().contains(topic))
        try await admin.deleteTopic(topic)
        #expect(try await admin.topicNames().contains(topic) == false)
        try await admin.deleteTopic(topic)
    }

    /// Sends one record at a time: tansu answers ListOffsets(latest) with the base offset of
    /// the last record *batch* + 1, so on it high-water marks are exact only for one-record
    /// batches (Apache Kafka counts records). Records themselves get exact offsets.
    @Test func highWaterMarksCountWhatWasWritten() async throws {
        let topic = try await stack.makeTopic(partitions: 2)
        let admin = try KafkaAdmin(configuration: stack.client, logger: stack.logger)
        try await admin.createTopic(topic, partitions: 2)  // already exists: fine
        #expect(try await admin.partitionCount(topic) == 2)
        let reports = try await stack.withProducer { producer in
            var reports: [KafkaDeliveryReport] = []
            for i in 0..<6 {
                reports.append(try await producer.send(KafkaOutgoingMessage(topic: topic, value: "\(i)".bytes, partition: Int32(i % 2))))
            }
            return reports
        }
        #expect(reports.map(\.partition) == [0, 1, 0, 1, 0, 1])
        #expect(reports.map(\.offset) == [0, 0, 1, 1, 2, 2])
        let marks = try await admin.watermarks(topic)
        #expect(marks.map(\.high) == [3, 3])
        #expect(marks.map(\.low) == [0, 0])
    }
}
