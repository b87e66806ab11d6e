import Domain
import Foundation
import Kafka
@testable import Projector
import Relay
import Testing
import TestSupport

/// Canonical events published straight onto a test's canonical topics, as the relay would
/// publish them (structured CloudEvents keyed by subject, with the `ce_` headers).
struct CanonicalFeed: Sendable {
    let stack: ProjectorTestStack

    struct Event: Sendable {
        var type: String
        var subject: String
        var time: String
        var data: JSONValue
        var canonical: CanonicalTopic {
            type.hasPrefix("onewindow.case.") ? .case : type == "onewindow.housing.unit-registered.v1" ? .housing : .person
        }
    }

    func ensureTopics() async throws {
        let admin = try KafkaAdmin(configuration: stack.kafka, logger: stack.logger)
        try await CanonicalTopics.ensure(admin: admin, naming: stack.naming, partitions: [.person: 3, .housing: 2, .case: 2])
    }

    func record(_ event: Event, position: Int) -> KafkaOutgoingMessage {
        var members: [String: JSONValue] = [
            "specversion": .string("1.0"), "id": .string("feed-\(position)"), "source": .string("/feed"),
            "type": .string(event.type), "time": .string(event.time), "datacontenttype": .string("application/json"),
            "subject": .string(event.subject), "actor": .string("public-security"), "position": .number(Double(position)),
            "data": event.data,
        ]
        if event.canonical == .person { members["personid"] = .string(event.subject) }
        return KafkaOutgoingMessage(
            topic: stack.naming.name(of: event.canonical), key: Array(event.subject.utf8),
            value: JSONValue.object(members).encoded(),
            headers: [
                KafkaHeader(key: "ce_id", string: "feed-\(position)"), KafkaHeader(key: "ce_type", string: event.type),
                KafkaHeader(key: "ce_time", string: event.time), KafkaHeader(key: "ce_position", string: "\(position)"),
            ])
    }

    /// Publishes `events` (positions from `firstPosition`) and waits for every acknowledgement.
    func publish(_ events: [Event], firstPosition: Int = 1, producer: KafkaProducer) async throws {
        var reports = producer.deliveryReports.makeAsyncIterator()
        let messages = events.enumerated().map { record($1, position: firstPosition + $0) }
        for chunk in stride(from: 0, to: messages.count, by: 5_000) {
            _ = try await producer.sendAndForget(Array(messages[chunk..<min(chunk + 5_000, messages.count)]))
        }
        var acknowledged = 0
        while acknowledged < messages.count, let report = await reports.next() {
            if let error = report.error { throw error }
            acknowledged += 1
        }
    }

    func withProducer<T: Sendable>(_ body: @Sendable (KafkaProducer) async throws -> T) async throws -> T {
        var configuration = KafkaProducerConfiguration(client: stack.kafka)
        configuration.lingerMilliseconds = 5
        let producer = try KafkaProducer(configuration: configuration, logger: stack.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            defer { group.cancelAll() }
            return try await body(producer)
        }
    }

    /// A synthetic city: `people` registrations, then moves and departures for some, as events
    /// in per-person order (people interleaved).
    static func city(people: Int, seed: Int = 1, idPrefix: String = "00000000") -> [Event] {
        var events: [Event] = []
        var generator = SplitMix64(seed: UInt64(seed))
        let townships = ["320505001", "320505002", "320506003", "320507004"]
        let origins = ["411523000000", "411524000000", "510100000000", "430100000000"]
        for round in 0..<3 {
            for index in 0..<people {
                let person = String(format: "%@-0000-4000-8000-%012d", idPrefix, index)
                let township = townships[Int(generator.next() % UInt64(townships.count))]
                let residence: JSONValue = .object([
                    "region": .string(township + "001"), "gridId": .string("G-\(generator.next() % 40)"),
                    "housingUnitId": .string("HU-\(generator.next() % 500)"),
                ])
                switch round {
                case 0:
                    events.append(Event(type: "onewindow.resident.registered.v1", subject: person, time: "2026-03-01T01:00:00Z", data: .object([
                        "identity": .object(["type": .string("passport"), "number": .string("E\(index)")]),
                        "name": .string("Person \(index)"), "sex": .string("female"), "birthDate": .string("1990-01-01"),
                        "originRegion": .string(origins[index % origins.count]), "residence": residence,
                        "arrivedOn": .string("2026-0\(1 + index % 6)-15"),
                    ])))
                case 1 where index % 3 == 0:
                    events.append(Event(type: "onewindow.resident.moved.v1", subject: person, time: "2026-07-01T01:00:00Z", data: .object([
                        "identity": .object(["type": .string("passport"), "number": .string("E\(index)")]),
                        "residence": residence, "movedOn": .string("2026-07-01"),
                    ])))
                case 2 where index % 5 == 0:
                    events.append(Event(type: "onewindow.resident.departed.v1", subject: person, time: "2026-09-01T01:00:00Z", data: .object([
                        "identity": .object(["type": .string("passport"), "number": .string("E\(index)")]),
                        "departedOn": .string("2026-09-0\(1 + index % 9)"),
                    ])))
                default:
                    break
                }
            }
        }
        return events
    }
}

