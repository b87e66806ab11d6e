import Domain
import Foundation
import Intake
import Kafka
import Store
import Testing

@Suite("The Kafka door: onewindow.ingest consumed as a group, rejections on onewindow.rejected")
struct KafkaDoorTests {
    @Test func invalidExamplesInBothModesAndTruncatedJSONAreRejectedAndTheConsumerKeepsGoing() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.createTopics()
            let invalid = Example.invalid
            var records: [KafkaOutgoingMessage] = []
            var expected: [String: String] = [:]  // id → field
            for (i, example) in invalid.enumerated() where example.id != nil {
                records.append(KafkaOutgoingMessage(topic: stack.topics.ingest, key: Array("k".utf8), value: example.withID("s-\(i)").encoded()))
                expected["s-\(i)"] = example.brokenField
                // Headers carry text: an attribute broken only by its JSON type (an integer out of
                // CloudEvents' range) is a fine string in binary mode, so it goes structured only.
                guard !BinaryMode.lostInHeaders(example) else { continue }
                records.append(BinaryMode.record(example.withID("b-\(i)"), topic: stack.topics.ingest))
                expected["b-\(i)"] = example.brokenField
            }
            let valid = try Example.named("onewindow.resident.registered.v1/valid-family")
            records.insert(KafkaOutgoingMessage(topic: stack.topics.ingest, key: Array("k".utf8), value: Array(#"{"specversion":"1.0","id":"trunc"#.utf8)), at: 0)
            // `\u0000` is valid JSON that no PostgreSQL text can hold: before it was refused at the
            // door, its batch failed in the store and was retried forever, and the door stalled.
            let nul = valid.withID("nul-data").setting(["data", "name"], to: .string("张\u{0}伟"))
            records.append(KafkaOutgoingMessage(topic: stack.topics.ingest, key: Array("k".utf8), value: nul.encoded()))
            expected["nul-data"] = "/data/name"
            records.append(KafkaOutgoingMessage(topic: stack.topics.ingest, key: Array("k".utf8), value: valid.event.encoded()))
            let sent = records
            let expectedCount = expected.count

            let rejected = try await stack.withIngestConsumer { producer in
                for record in sent { try await producer.send(record) }
                try await eventually("the valid event after the truncated one is stored") {
                    try await stack.pipeline.status(source: valid.source!, id: valid.id!) != .unknown
                }
                return try await RejectedTopic.read(stack, count: expectedCount + 1)
            }
            #expect(rejected.count == expected.count + 1)
            let binaryID = try #require(expected.keys.first { $0.hasPrefix("b-") })
            #expect(rejected[binaryID]?["event"]?["headers"]?["ce_id"] == .string(binaryID))
            for (id, field) in expected {
                #expect(rejected[id]?["field"] == .string(field), "\(id)")
                #expect(rejected[id]?["event"] != nil, "\(id)")
            }
            let truncated = try #require(rejected[""])
            #expect(truncated["field"] == .string(""))
            #expect(truncated["event"]?.stringValue?.hasPrefix("{\"specversion\"") == true)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 1)
            #expect(try await stack.pipeline.status(source: valid.source!, id: valid.id!) != .unknown)
            let (someID, someField) = try #require(expected.first { $0.key.hasPrefix("s-") })
            let source = try #require(invalid[Int(someID.dropFirst(2))!].source)
            #expect(try await stack.pipeline.status(source: source, id: someID) == .rejected(
                reason: rejected[someID]?["reason"]?.stringValue ?? "", field: someField))
        }
    }

    @Test func aDuplicateOverKafkaChangesNothing() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.createTopics()
            let event = try Example.named("onewindow.resident.registered.v1/valid-family").event
            let marker = try Example.named("onewindow.resident.registered.v1/valid-minimal").event.setting(["id"], to: .string("marker"))
            try await stack.withIngestConsumer { producer in
                let key = Array("person".utf8)
                try await producer.send(KafkaOutgoingMessage(topic: stack.topics.ingest, key: key, value: event.encoded()))
                try await eventually("the event is stored") { try await stack.count("SELECT count(*) FROM {schema}.events") == 1 }
                let people = try await stack.count("SELECT count(*) FROM {schema}.people")
                // The repeat, in binary mode, then a marker behind it on the same partition.
                try await producer.send(BinaryMode.record(event, topic: stack.topics.ingest, key: key))
                try await producer.send(KafkaOutgoingMessage(topic: stack.topics.ingest, key: key, value: marker.encoded()))
                try await eventually("the marker is stored") { try await stack.count("SELECT count(*) FROM {schema}.events") == 2 }
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL") == 2)
                #expect(try await stack.count("SELECT count(*) FROM {schema}.people") == people + 1)
            }
        }
    }

    /// Each stored batch's offsets are committed, so the group's next consumer starts after the
    /// stored records instead of reading them all again (the group reads from the earliest offset
    /// when nothing is committed). The door is stopped only after a last record sent behind them
    /// is stored: a door stopped the moment a batch becomes visible may not yet have seen its
    /// append succeed, and then rightly leaves that batch uncommitted (it comes again and is
    /// answered as duplicates); the last record may come again for that reason, nothing before it.
    @Test func theGroupsNextConsumerStartsAfterTheStoredRecords() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.createTopics()
            let event = try Example.named("onewindow.resident.registered.v1/valid-minimal").event
            let key = Array("one-person".utf8)
            try await stack.withIngestConsumer { producer in
                for n in 0..<1_200 {
                    try await producer.sendAndForget(KafkaOutgoingMessage(
                        topic: stack.topics.ingest, key: key, value: event.setting(["id"], to: .string("stored-\(n)")).encoded()))
                }
                try await eventually("all are stored") { try await stack.count("SELECT count(*) FROM {schema}.events") == 1_200 }
                try await producer.send(KafkaOutgoingMessage(
                    topic: stack.topics.ingest, key: key, value: event.setting(["id"], to: .string("last")).encoded()))
                try await eventually("the last is stored") { try await stack.count("SELECT count(*) FROM {schema}.events") == 1_201 }
            }
            let producer = try stack.producer()
            let first = try await withThrowingTaskGroup(of: Void.self) { group -> String? in
                group.addTask { try await producer.run() }
                defer { group.cancelAll() }
                try await producer.send(KafkaOutgoingMessage(
                    topic: stack.topics.ingest, key: key, value: event.setting(["id"], to: .string("after")).encoded()))
                let consumer = try stack.consumer(topic: stack.topics.ingest, group: stack.topics.prefix + "-intake")
                let clock = ContinuousClock()
                let end = clock.now.advanced(by: .seconds(60))
                var first: String?
                while first == nil, clock.now < end {
                    first = try await consumer.poll(maxMessages: 1, timeout: .milliseconds(200)).first
                        .map { (try? JSONValue.parse($0.value))?.objectValue?["id"]?.stringValue ?? "not an event" }
                }
                await consumer.close()
                return first
            }
            #expect(first == "last" || first == "after", "the group's next consumer began at \(first ?? "nothing")")
        }
    }

    /// The door overlaps polling, preparing and storing of consecutive batches (500 records in
    /// the test stack); the records of one partition must still be stored in the order sent.
    @Test func recordsOfOnePartitionAreStoredInTheOrderSentAcrossOverlappingBatches() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.createTopics()
            let event = try Example.named("onewindow.resident.registered.v1/valid-minimal").event
            let ids = (0..<1_600).map { String(format: "order-%04d", $0) }
            try await stack.withIngestConsumer { producer in
                let key = Array("one-person".utf8)
                for id in ids {
                    try await producer.sendAndForget(KafkaOutgoingMessage(
                        topic: stack.topics.ingest, key: key, value: event.setting(["id"], to: .string(id)).encoded()))
                }
                try await eventually("all are stored") { try await stack.count("SELECT count(*) FROM {schema}.events") == ids.count }
            }
            let stored = try await stack.texts("SELECT event_id FROM {schema}.events ORDER BY position")
            #expect(stored == ids)
            let versions = try await stack.texts("SELECT stream_version::text FROM {schema}.events ORDER BY position")
            #expect(versions == (1...ids.count).map(String.init))
        }
    }

    /// Records of both partitions of the test topic arrive interleaved in the door's batches:
    /// every person's records (keyed by person, so one partition each) are stored in the order
    /// sent, numbered from 1 in their stream, and nothing is lost or stored twice.
    @Test func eachPersonsRecordsAreStoredInOrderWhenBatchesMixPartitions() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.createTopics()
            let event = try Example.named("onewindow.resident.registered.v1/valid-minimal").event
            let people = (0..<6).map { "E\(70_000_000 + $0)" }
            let perPerson = 250
            try await stack.withIngestConsumer { producer in
                for n in 0..<(people.count * perPerson) {
                    let person = n % people.count
                    let record = event.setting(["id"], to: .string(String(format: "p%d-%04d", person, n / people.count)))
                        .setting(["data", "identity", "number"], to: .string(people[person]))
                    try await producer.sendAndForget(KafkaOutgoingMessage(
                        topic: stack.topics.ingest, key: Array(people[person].utf8), value: record.encoded(), partition: Int32(person % 2)))
                }
                try await eventually("all are stored") {
                    try await stack.count("SELECT count(*) FROM {schema}.events") == people.count * perPerson
                }
            }
            let rows = try await stack.texts("SELECT event_id || ' ' || stream_version FROM {schema}.events ORDER BY position")
            var seen: [Substring: [String]] = [:]
            for row in rows { seen[row.prefix { $0 != "-" }, default: []].append(row) }
            #expect(seen.count == people.count)
            for (person, stored) in seen {
                #expect(stored == (0..<perPerson).map { "\(person)-\(String(format: "%04d", $0)) \($0 + 1)" }, "\(person)")
            }
        }
    }
}

/// CloudEvents binary mode for tests: every attribute a `ce_` header, `data` the value.
enum BinaryMode {
    static func record(_ event: JSONValue, topic: String, key: [UInt8]? = nil) -> KafkaOutgoingMessage {
        var headers: [KafkaHeader] = []
        var value: [UInt8] = []
        for (name, member) in event.objectValue ?? [:] {
            switch name {
            case "data": value = member.encoded()
            case "datacontenttype": headers.append(KafkaHeader(key: "content-type", string: member.stringValue ?? member.text))
            default: headers.append(KafkaHeader(key: "ce_" + name, string: member.stringValue ?? member.text))
            }
        }
        return KafkaOutgoingMessage(topic: topic, key: key, value: value, headers: headers)
    }

    /// Whether what an invalid example breaks is an attribute's JSON type, which binary mode's
    /// text headers cannot carry: the attribute is present and not a string.
    static func lostInHeaders(_ example: Example) -> Bool {
        guard let field = example.brokenField, field != "/data", field.dropFirst().firstIndex(of: "/") == nil,
              let value = example.event.objectValue?[String(field.dropFirst())] else { return false }
        return value.stringValue == nil
    }
}

/// Reads the test's rejected topic until `count` reports arrived: report JSON by event id
/// (the record key; "" when the original had no readable id).
enum RejectedTopic {
    static func read(_ stack: IntakeTestStack, count: Int) async throws -> [String: JSONValue] {
        let consumer = try stack.consumer(topic: stack.topics.rejected, group: stack.topics.prefix + "-reader")
        var reports: [String: JSONValue] = [:]
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(90))
        while reports.count < count, clock.now < end {
            for message in try await consumer.poll(maxMessages: 1_000, timeout: .milliseconds(200)) {
                reports[message.key.map { String(decoding: $0, as: UTF8.self) } ?? ""] = try JSONValue.parse(message.value)
            }
        }
        await consumer.close()
        return reports
    }
}
