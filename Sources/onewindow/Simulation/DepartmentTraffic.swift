import API
import Domain
import Foundation
import Intake
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Logging
import Relay
import ServiceLifecycle

/// A synthetic city's department traffic, sent to one of the intake's doors the way department
/// systems would: structured CloudEvents with plain data, each by the organization that states
/// the fact (`onewindow simulate`, `onewindow dev --demo`). Case steps are OneWindow's own and
/// are not sent. The city is deterministic for its label, so sending it again only repeats
/// events (answered as duplicates).
struct DepartmentTraffic {
    /// How many people, the span of days their events are dated over (ending now), and the pace.
    let people: Int
    let days: Int
    /// Events per second, or nil for as fast as the door takes them.
    let rate: Double?
    let label: String

    /// What was sent, and what the door answered (HTTP only: the Kafka door answers on
    /// `<prefix>.rejected` and by `GET /v1/events/{source}/{id}`).
    struct Tally: CustomStringConvertible {
        var sent = 0
        var accepted = 0
        var duplicate = 0
        var rejected = 0
        /// The first few rejections: id, field and reason.
        var rejections: [String] = []

        var description: String {
            var text = "\(sent) events sent"
            if accepted + duplicate + rejected > 0 { text += ": \(accepted) accepted, \(duplicate) duplicate, \(rejected) rejected" }
            return rejections.isEmpty ? text : text + "\n  " + rejections.joined(separator: "\n  ")
        }

        mutating func add(_ other: Tally) {
            sent += other.sent
            accepted += other.accepted
            duplicate += other.duplicate
            rejected += other.rejected
            rejections += other.rejections.prefix(max(0, 5 - rejections.count))
        }
    }

    /// The first of `people`, `days` and `rate` out of bounds, as a message naming the option
    /// (`optionPrefix` + `people`, …), or nil: the limits `simulate` and `dev --demo` share.
    static func problem(people: Int, days: Int, rate: Double?, optionPrefix: String) -> String? {
        if !(1...1_000_000).contains(people) { return "--\(optionPrefix)people must be between 1 and 1000000" }
        if !(1...3_650).contains(days) { return "--\(optionPrefix)days must be between 1 and 3650" }
        if let rate, !(rate > 0 && rate <= 1_000_000) { return "--\(optionPrefix)rate must be a number of events per second above 0" }
        return nil
    }

    /// Publishes the city to `topic` with `producer`, which runs for the time of the sending.
    func publish(with producer: KafkaProducer, to topic: String, progress: @escaping (Tally) -> Void = { _ in }) async throws -> Tally {
        try await withThrowingTaskGroup(of: Tally?.self) { group in
            group.addTask { try await producer.run(); return nil }
            defer { group.cancelAll() }
            return try await send(through: KafkaDoor(producer: producer, topic: topic), progress: progress)
        }
    }

    /// The city's department events, chunk by chunk (500 people each), dated over the last `days` days.
    func chunks(now: Date = Date()) -> some Sequence<[CityEvent]> {
        let span = Double(days) * 86_400
        let expected = max(1, Double(people) * CityGenerator.eventsPerPerson)
        var generator = CityGenerator(label: label, start: now.addingTimeInterval(-span), secondsPerEvent: span / expected)
        var next = 0
        return AnySequence {
            AnyIterator { () -> [CityEvent]? in
                guard next < people else { return nil }
                let range = next..<min(people, next + 500)
                next = range.upperBound
                return generator.chunk(people: range).filter { $0.topic != .case }
            }
        }
    }

    /// Sends the whole city through `door`, in order, `batch` events at a time (same-sender runs
    /// for HTTP), paced to `rate`. Calls `progress` after each chunk.
    func send(through door: some Door, progress: (Tally) -> Void = { _ in }) async throws -> Tally {
        var tally = Tally()
        let clock = ContinuousClock()
        let started = clock.now
        for chunk in chunks() {
            for batch in door.batches(of: chunk) {
                if let rate, rate > 0 {
                    let due = started.advanced(by: .seconds(Double(tally.sent) / rate))
                    if due > clock.now { try await Task.sleep(until: due, clock: clock) }
                }
                tally.add(try await door.send(batch))
            }
            progress(tally)
        }
        return tally
    }

    /// The structured CloudEvent a department system would send for `event`.
    static func cloudEvent(_ event: CityEvent) -> JSONValue {
        .object([
            "specversion": .string("1.0"), "id": .string(event.id), "source": .string(event.source),
            "type": .string(event.type), "time": .string(RFC3339.format(event.time)),
            "datacontenttype": .string("application/json"), "actor": .string(event.actor),
            "region": .string(event.region), "data": event.data,
        ])
    }

    /// The record key a department would choose: the subject's identity number or the unit's id.
    static func key(_ event: CityEvent) -> String {
        let data = event.data.objectValue
        return data?["identity"]?.objectValue?["number"]?.stringValue ?? data?["housingUnitId"]?.stringValue ?? event.stream
    }
}

/// One of the intake's doors, from a sender's side.
protocol Door: Sendable {
    /// `events` split into what one send carries.
    func batches(of events: [CityEvent]) -> [[CityEvent]]
    func send(_ batch: [CityEvent]) async throws -> DepartmentTraffic.Tally
}

/// The Kafka door: records on `<prefix>.ingest`, keyed by subject; each batch waits for the
/// broker's acknowledgements.
struct KafkaDoor: Door {
    let producer: KafkaProducer
    let topic: String

    func batches(of events: [CityEvent]) -> [[CityEvent]] {
        stride(from: 0, to: events.count, by: 200).map { Array(events[$0..<min(events.count, $0 + 200)]) }
    }

    func send(_ batch: [CityEvent]) async throws -> DepartmentTraffic.Tally {
        let messages = batch.map {
            KafkaOutgoingMessage(topic: topic, key: Array(DepartmentTraffic.key($0).utf8), value: DepartmentTraffic.cloudEvent($0).encoded())
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages { group.addTask { try await producer.send(message) } }
            try await group.waitForAll()
        }
        return DepartmentTraffic.Tally(sent: batch.count)
    }
}

/// The HTTP door: `POST /v1/events` with batches of one sender's events, under a token of that
/// organization (role `department-system`).
struct HTTPDoor: Door {
    let url: URL
    let tokens: [String: String]

    /// A token for every organization of the organizations file, signed with the stack's secret.
    static func make(url: URL, authority: TokenAuthority, organizations: OrganizationDirectory) async throws -> HTTPDoor {
        var tokens: [String: String] = [:]
        for org in organizations.organizations.keys {
            tokens[org.text] = try await authority.issue(organization: org, role: .departmentSystem, lifetime: .seconds(12 * 3600))
        }
        return HTTPDoor(url: url.appendingPathComponent("v1/events"), tokens: tokens)
    }

    /// Runs of one sender, at most 100 events each.
    func batches(of events: [CityEvent]) -> [[CityEvent]] {
        var batches: [[CityEvent]] = []
        for event in events {
            if let last = batches.last?.last, last.actor == event.actor, batches[batches.count - 1].count < 100 {
                batches[batches.count - 1].append(event)
            } else {
                batches.append([event])
            }
        }
        return batches
    }

    func send(_ batch: [CityEvent]) async throws -> DepartmentTraffic.Tally {
        guard let actor = batch.first?.actor, let token = tokens[actor] else {
            throw SimulationError("\(batch.first?.actor ?? "?") is not in the organizations file (ONEWINDOW_ORGANIZATIONS_FILE)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/cloudevents-batch+json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.httpBody = Data(JSONValue.array(batch.map(DepartmentTraffic.cloudEvent)).encoded())
        let body: Data, response: URLResponse
        do {
            (body, response) = try await URLSession.shared.data(for: request)
        } catch {
            let reason = (error as NSError).userInfo[NSLocalizedDescriptionKey] as? String ?? "\(error)"
            throw SimulationError("cannot POST to \(url.absoluteString): \(reason) (is `onewindow dev` or `serve intake` running there?)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200, case .array(let results)? = try? JSONValue.parse(Array(body)) else {
            throw SimulationError("POST \(url.path) answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
        var tally = DepartmentTraffic.Tally(sent: batch.count)
        for result in results.map({ $0.objectValue ?? [:] }) {
            switch result["status"]?.stringValue {
            case "accepted": tally.accepted += 1
            case "duplicate": tally.duplicate += 1
            default:
                tally.rejected += 1
                if tally.rejections.count < 5 {
                    tally.rejections.append("\(result["id"]?.stringValue ?? "?") \(result["field"]?.stringValue ?? ""): \(result["reason"]?.stringValue ?? "")")
                }
            }
        }
        return tally
    }
}

struct SimulationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `dev --demo`: the city's traffic on the ingest topic, at its pace, through a producer of its
/// own; ends when the city is sent (or at shutdown). Logs counts only.
struct DemoCity: Service {
    let traffic: DepartmentTraffic
    let producer: KafkaProducer
    let topic: String
    let logger: Logger

    func run() async throws {
        logger.info("demo city starting", metadata: ["people": "\(traffic.people)", "rate": "\(traffic.rate ?? 0)", "topic": "\(topic)"])
        do {
            try await cancelWhenGracefulShutdown {
                let tally = try await traffic.publish(with: producer, to: topic) { tally in
                    logger.info("demo city sending", metadata: ["sent": "\(tally.sent)"])
                }
                logger.info("demo city sent", metadata: ["sent": "\(tally.sent)"])
            }
        } catch is CancellationError {
            logger.info("demo city stopped")
        } catch {
            logger.error("demo city failed", metadata: ["error": "\(error)"])
        }
    }
}
