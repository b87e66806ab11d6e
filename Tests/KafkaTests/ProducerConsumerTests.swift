import Foundation
import Kafka
import Testing

@Suite("Kafka producer and consumer against the real broker")
struct ProducerConsumerTests {
    let stack: KafkaTestStack

    init() throws { stack = try KafkaTestStack() }

    @Test func perKeyOrderIsKeptAcrossPartitions() async throws {
        let topic = try await stack.makeTopic(partitions: 4)
        let keys = 20, perKey = 250
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: keys * perKey) { i in
                KafkaOutgoingMessage(topic: topic, key: "person-\(i % keys)".bytes, value: "\(i / keys)".bytes,
                                     headers: [KafkaHeader(key: "ce_type", string: "test.v1")])
            }
        }
        let consumer = try KafkaConsumer(configuration: stack.consumerConfiguration(group: stack.uniqueName("g")),
                                         topics: [topic], logger: stack.logger)
        var seen: [String: [Int]] = [:]
        var partitionOfKey: [String: Set<Int32>] = [:]
        var total = 0
        let done = try await pollUntil(consumer) { batch in
            for m in batch {
                let key = m.key!.string
                seen[key, default: []].append(Int(m.value.string)!)
                partitionOfKey[key, default: []].insert(m.partition)
                #expect(m.header("ce_type")?.string == "test.v1")
            }
            total += batch.count
            return total >= keys * perKey
        }
        await consumer.close()
        #expect(done)
        #expect(total == keys * perKey)
        #expect(Set(partitionOfKey.values.flatMap { $0 }).count > 1, "keys should spread over partitions")
        for (key, sequence) in seen {
            #expect(sequence == Array(0..<perKey), "order of \(key)")
            #expect(partitionOfKey[key]?.count == 1, "\(key) stays on one partition")
        }
    }

    /// Header values given as text (kept as the string until sent) and as bytes arrive as the
    /// same bytes; a header without value arrives without one.
    @Test func headerValuesGivenAsTextOrBytesArriveByteForByte() async throws {
        let topic = try await stack.makeTopic(partitions: 1)
        let sent = [
            KafkaHeader(key: "short", string: "1.0"),
            KafkaHeader(key: "long", string: "onewindow.resident.registered.v1"),
            KafkaHeader(key: "utf8", string: "张伟 – 苏州"),
            KafkaHeader(key: "bytes", value: [0, 1, 2, 255]),
            KafkaHeader(key: "none", value: nil),
            KafkaHeader(key: "empty", string: ""),
        ]
        #expect(KafkaHeader(key: "k", string: "é") == KafkaHeader(key: "k", value: Array("é".utf8)))
        #expect(Set([KafkaHeader(key: "k", string: "é"), KafkaHeader(key: "k", value: Array("é".utf8))]).count == 1)
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: 1) { _ in KafkaOutgoingMessage(topic: topic, value: "v".bytes, headers: sent) }
        }
        let consumer = try KafkaConsumer(configuration: stack.consumerConfiguration(group: stack.uniqueName("g")),
                                         topics: [topic], logger: stack.logger)
        var received: [KafkaHeader] = []
        let done = try await pollUntil(consumer) { batch in
            received += batch.first?.headers ?? []
            return !received.isEmpty
        }
        await consumer.close()
        #expect(done)
        #expect(received.map(\.key) == sent.map(\.key))
        for (got, want) in zip(received, sent) where want.key != "empty" {
            #expect(got.value == want.value, "\(want.key)")
        }
        #expect((received.last?.value ?? []).isEmpty)
    }

    @Test func hundredThousandMessagesAreConsumedExactlyOnceByAGroupOfOne() async throws {
        let topic = try await stack.makeTopic(partitions: 3)
        let count = 100_000
        try await stack.withProducer { producer in
            try await stack.produce(producer, count: count) { i in
                KafkaOutgoingMessage(topic: topic, key: "k\(i % 97)".bytes, value: "\(i)".bytes)
            }
        }
        let consumer = try KafkaConsumer(configuration: stack.consumerConfiguration(group: stack.uniqueName("g")),
                                         topics: [topic], logger: stack.logger)
        var seen = [Bool](repeating: false, count: count)
        var duplicates = 0, total = 0, batches = 0
        let done = try await pollUntil(consumer) { batch in
            for m in batch {
                let i = Int(m.value.string)!
                if seen[i] { duplicates += 1 }
                seen[i] = true
            }
            total += batch.count
            if !batch.isEmpty { batches += 1 }
            return total >= count
        }
        // Nothing more may arrive after everything was read once.
        let extra = try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(500))
        await consumer.close()
        #expect(done)
        #expect(duplicates == 0)
        #expect(extra.isEmpty)
        #expect(seen.allSatisfy { $0 })
        #expect(batches < count / 10, "messages arrive in batches, not one per poll")
    }
}
