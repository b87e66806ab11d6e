import Crypto
import Domain
import Foundation
import Intake
import Kafka
import Relay
import Store

/// The in-memory steps of the intake, each timed alone on one thread with no I/O: what one
/// event costs in CPU before PostgreSQL, the broker or HTTP are involved. Their sum is the
/// ceiling the pipeline could reach on one core if the store and the network were free; the
/// table says which step to work on.
enum IntakeStages {
    struct Stage {
        var name: String
        /// CPU µs per event, median of the passes.
        var microseconds: Double
    }

    /// Times each step over `events` (the same synthetic events as the figures), `passes` times.
    static func measure(_ events: [[UInt8]], passes: Int = 5) throws -> [Stage] {
        let protection = try DataProtection(masterKey: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let topics = IntakeTopics()
        let naming = TopicNaming()
        let submissions = events.map { Submission(jsonBytes: $0, publisher: "public-security") }
        let envelopes = try submissions.map { submission in
            guard case .success(let envelope) = submission.decoded else { throw BenchmarkFailure("a bench event is invalid") }
            return envelope
        }
        let identities = envelopes.compactMap(\.event.identity)
        let person = KeyedPerson(id: UUID(), key: protection.newPersonKey(), unregistered: false)
        let canonical = try envelopes.map { try CanonicalEvent.make($0, person: person, topics: topics) }
        let outbox = canonical.enumerated().map { index, batched in
            let event = batched.event
            return OutboxMessage(topic: event.topic ?? topics.person, key: batched.stream, event: RecordedEvent(
                position: Int64(index + 1), stream: batched.stream, streamVersion: 1, id: event.id, source: event.source,
                type: event.type, time: event.time, recordedAt: Date(), actor: event.actor, region: event.region,
                data: event.data, metadata: event.metadata))
        }

        var stages: [Stage] = []
        func time(_ name: String, _ step: () throws -> Int) rethrows {
            var samples: [Double] = []
            var sink = 0
            for _ in 0..<passes {
                let start = Measure.threadCPUSeconds()
                sink &+= try step()
                samples.append((Measure.threadCPUSeconds() - start) / Double(events.count) * 1e6)
            }
            if sink == Int.min { print(sink) }  // keeps the work observable to the optimizer
            stages.append(Stage(name: name, microseconds: Measure.percentile(samples, 0.5)))
        }
        time("parse the JSON (`JSONDocument.parse`)") {
            var n = 0
            for bytes in events { if let document = try? JSONDocument.parse(bytes) { n &+= document.root.writtenMemberCount } }
            return n
        }
        time("parse + validate (`Submission(jsonBytes:)`)") {
            var n = 0
            for bytes in events { if case .success = Submission(jsonBytes: bytes, publisher: "public-security").decoded { n &+= 1 } }
            return n
        }
        // Compared with a hash no identity has (its bytes would cost an array per event here).
        let none = BlindHash(Array(repeating: 0, count: BlindHash.byteCount))!
        try time("blind index of the identity (HMAC-SHA256, one indexer per 1,000 events)") {
            var n = 0
            for start in stride(from: 0, to: identities.count, by: 1_000) {
                let indexer = try protection.blindIndexer()
                for identity in identities[start..<min(start + 1_000, identities.count)] where try indexer.index(identity) != none { n &+= 1 }
            }
            return n
        }
        // Every event's person is created or found: a wrap or an unwrap each, one wrapper per
        // batch of 1,000 as the intake has; here both, so the figure is their sum.
        let ids = events.indices.map { _ in UUID() }
        let dataKey = protection.newPersonKey()
        try time("wrap + unwrap a person's data key (`KeyWrapper`, one per 1,000 events)") {
            var n = 0
            for start in stride(from: 0, to: ids.count, by: 1_000) {
                let wrapper = protection.keyWrapper()
                for id in ids[start..<min(start + 1_000, ids.count)] {
                    n &+= try wrapper.unwrap(wrapper.wrap(dataKey, for: id), for: id).bitCount
                }
            }
            return n
        }
        try time("seal personal fields + encode data and metadata (`CanonicalEvent.make`)") {
            try envelopes.reduce(0) { $0 &+ (try CanonicalEvent.make($1, person: person, topics: topics)).event.data.count }
        }
        time("relay: the CloudEvent record (`CloudEventRecord.make`)") {
            outbox.reduce(0) { $0 &+ CloudEventRecord.make($1, naming: naming).value.count }
        }
        return stages
    }

    static func table(_ stages: [Stage], events: Int) -> String {
        var lines = [
            "In-memory steps, one thread, \(events) events, CPU µs per event (median of 5 passes):",
            "| step | µs/event |",
            "| --- | ---: |",
        ]
        for stage in stages { lines.append("| \(stage.name) | \(String(format: "%.1f", stage.microseconds)) |") }
        let parseAndValidate = stages.count > 1 ? stages[1].microseconds : 0
        let total = parseAndValidate + stages.dropFirst(2).reduce(0) { $0 + $1.microseconds }
        lines.append("| sum (parse + validate, index, keys, seal, relay record) | \(String(format: "%.1f", total)) |")
        return lines.joined(separator: "\n")
    }

}
