import Foundation
import Kafka
import Logging

/// Swift wrapper vs `rdkafka_performance`, same broker, same sizes, same producer settings
/// (idempotent, linger 5 ms, no compression, no key), alternating runs; medians reported.
struct KafkaBenchmark {
    let brokers: [String]
    let messages: Int
    let cTool: String
    private let logger = Logger(label: "bench")

    init(brokers: [String], messages: Int, cTool: String) {
        self.brokers = brokers
        self.messages = messages
        self.cTool = cTool
    }

    struct Row {
        var operation: String
        var size: Int
        var swift: Double  // msg/s
        var c: Double      // msg/s
    }

    func measure(size: Int, rounds: Int) async throws -> [Row] {
        var swiftProduce: [Double] = [], swiftConsume: [Double] = [], cProduce: [Double] = [], cConsume: [Double] = []
        for round in 0..<rounds {
            let swiftTopic = "bench-swift-\(size)-\(round)-\(UUID().uuidString.prefix(6))"
            let cTopic = "bench-c-\(size)-\(round)-\(UUID().uuidString.prefix(6))"
            let admin = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrapServers: brokers), logger: logger)
            try await admin.createTopic(swiftTopic, partitions: 3)
            try await admin.createTopic(cTopic, partitions: 3)
            cProduce.append(try await runCTool(["-P", "-t", cTopic, "-s", "\(size)", "-c", "\(messages)",
                                                "-X", "enable.idempotence=true", "-X", "linger.ms=5"]))
            swiftProduce.append(try await produce(topic: swiftTopic, size: size))
            cConsume.append(try await runCTool(["-C", "-t", cTopic, "-G", "bench-\(UUID().uuidString)", "-o", "beginning",
                                                "-c", "\(messages)"]))
            swiftConsume.append(try await consume(topic: swiftTopic))
        }
        return [
            Row(operation: "produce", size: size, swift: median(swiftProduce), c: median(cProduce)),
            Row(operation: "consume", size: size, swift: median(swiftConsume), c: median(cConsume)),
        ]
    }

    private func produce(topic: String, size: Int) async throws -> Double {
        var configuration = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: brokers))
        configuration.compression = "none"
        configuration.lingerMilliseconds = 5
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let count = messages
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            defer { group.cancelAll() }
            let start = ContinuousClock.now
            var reports = producer.deliveryReports.makeAsyncIterator()
            let message = KafkaOutgoingMessage(topic: topic, value: payload)
            let batch = [KafkaOutgoingMessage](repeating: message, count: 1_000)
            for _ in 0..<(count / batch.count) { try await producer.sendAndForget(batch) }
            for _ in 0..<(count % batch.count) { try await producer.sendAndForget(message) }
            var acknowledged = 0
            while acknowledged < count, let report = await reports.next() {
                if let error = report.error { throw error }
                acknowledged += 1
            }
            return Double(count) / (ContinuousClock.now - start).seconds
        }
    }

    private func consume(topic: String) async throws -> Double {
        let configuration = KafkaConsumerConfiguration(client: KafkaClientConfiguration(bootstrapServers: brokers),
                                                       groupID: "bench-\(UUID().uuidString)")
        let consumer = try KafkaConsumer(configuration: configuration, topics: [topic], logger: logger)
        var received = 0
        var start: ContinuousClock.Instant?
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while received < messages, ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100))
            if start == nil, !batch.isEmpty { start = .now }
            received += batch.count
        }
        await consumer.close()
        guard received >= messages, let start else { throw BenchmarkFailure("consumed \(received) of \(messages)") }
        return Double(received) / (ContinuousClock.now - start).seconds
    }

    /// Runs rdkafka_performance and returns the msg/s of its summary line.
    private func runCTool(_ arguments: [String]) async throws -> Double {
        let finished = try await ChildProcess.run(cTool, arguments + ["-b", brokers.joined(separator: ","), "-q"], mergingErrors: true)
        let text = String(decoding: finished.output, as: UTF8.self)
        guard let match = text.firstMatch(of: /([0-9]+) msgs\/s/), let rate = Double(match.1) else {
            throw BenchmarkFailure("rdkafka_performance printed no rate:\n\(text.suffix(500))")
        }
        return rate
    }

    static func table(_ rows: [Row], messages: Int, rounds: Int) -> String {
        var lines = [
            "Kafka: \(messages) messages per run, median of \(rounds) rounds (Swift wrapper vs rdkafka_performance)",
            "| operation | size | Swift msg/s | Swift MB/s | C msg/s | C MB/s | Swift / C |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows {
            let mb = { (rate: Double) in String(format: "%.1f", rate * Double(r.size) / 1_000_000) }
            lines.append("| \(r.operation) | \(r.size) B | \(Int(r.swift)) | \(mb(r.swift)) | \(Int(r.c)) | \(mb(r.c)) | \(String(format: "%.0f %%", 100 * r.swift / r.c)) |")
        }
        return lines.joined(separator: "\n")
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
