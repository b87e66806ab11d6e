import API
import ArgumentParser
import Domain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Intake
import Kafka
import Logging
import PostgresNIO
import ServiceLifecycle
import Store
import Testing
import TestSupport

@testable import onewindow

/// `onewindow simulate` and `dev --demo`: a synthetic city's department traffic that the intake
/// takes whole, the same for the same label.
@Suite("The synthetic city's department traffic")
struct SimulationTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static func events(people: Int, label: String) -> [CityEvent] {
        DepartmentTraffic(people: people, days: 30, rate: nil, label: label).chunks(now: now).flatMap { $0 }
    }

    /// Every event is valid, its sender may publish its type (the shipped organizations file),
    /// every department event type occurs, and a person's events are dated in their order.
    @Test func everyEventIsValidAndItsSenderMayPublishIt() throws {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ops/config/organizations.yaml")
        let organizations = try loadOrganizations(["ONEWINDOW_ORGANIZATIONS_FILE": file.path])
        let events = Self.events(people: 1_200, label: "demo")
        #expect(events.count > 3_000)
        var types: Set<String> = []
        var ids: Set<String> = []
        for event in events {
            let bytes = DepartmentTraffic.cloudEvent(event).encoded()
            switch EventEnvelope.decode(json: bytes) {
            case .failure(let failure):
                Issue.record("\(event.type) \(event.id) is invalid: \(failure.first.field) \(failure.first.reason)")
            case .success(let envelope):
                #expect(organizations.refusal(actor: envelope.actor, type: envelope.type) == nil, "\(event.actor) may not send \(event.type)")
                types.insert(envelope.type.rawValue)
            }
            #expect(ids.insert(event.id).inserted, "\(event.id) repeats")
            #expect(event.time <= Self.now && event.time >= Self.now.addingTimeInterval(-30 * 86_400))
        }
        #expect(types == Set(EventType.allCases.map(\.rawValue)))
        // Spread over the whole span: the last events are of the last days.
        #expect(try #require(events.last).time > Self.now.addingTimeInterval(-3 * 86_400))
        // Children named by identity: the case the intake seals under their own key.
        let children = events.flatMap { event -> [JSONValue] in
            if case .array(let members)? = event.data.objectValue?["household"] { members } else { [] }
        }
        #expect(children.contains { $0.objectValue?["identity"] != nil && $0.objectValue?["relation"] == .string("child") })
        // Kafka records are keyed by subject: the identity number, or the housing unit.
        for event in events {
            let data = event.data.objectValue ?? [:]
            let subject = data["identity"]?.objectValue?["number"]?.stringValue ?? data["housingUnitId"]?.stringValue
            #expect(DepartmentTraffic.key(event) == subject)
        }
    }

    /// Every identity number a city states belongs to one person: registrants, spouses and
    /// children never share one, however large the city (`--people` goes to 1,000,000; resident
    /// ids repeated every 9,000 children and every 210,000 people, so two people became one).
    @Test func everyIdentityBelongsToOnePerson() {
        var generator = CityGenerator(label: "demo")
        var owner: [String: String] = [:]
        var clashes: [String] = []
        func claim(_ identity: JSONValue?, by who: String) {
            guard let number = identity?.objectValue?["number"]?.stringValue else { return }
            if let first = owner[number], first != who { clashes.append("\(number): \(first) and \(who)") } else { owner[number] = who }
        }
        for start in [0, 209_000, 419_000] {
            for event in generator.chunk(people: start..<start + 2_000) where event.type == "onewindow.resident.registered.v1" {
                let data = event.data.objectValue ?? [:]
                claim(data["identity"], by: "person \(event.person ?? -1)")
                for case .object(let member) in Self.members(data["household"]) {
                    claim(member["identity"], by: "\(member["relation"]?.stringValue ?? "?") of \(event.person ?? -1)")
                }
            }
        }
        for start in stride(from: 0, to: 30_000, by: 500) {
            for event in generator.chunk(people: start..<start + 500) where event.type == "onewindow.resident.registered.v1" {
                for case .object(let member) in Self.members(event.data.objectValue?["household"]) {
                    claim(member["identity"], by: "\(member["relation"]?.stringValue ?? "?") of \(event.person ?? -1)")
                }
            }
        }
        #expect(clashes.isEmpty, "\(clashes.count) identities of two people, e.g. \(clashes.prefix(3))")
    }

    static func members(_ household: JSONValue?) -> [JSONValue] {
        if case .array(let members)? = household { members } else { [] }
    }

    @Test func theSameLabelMakesTheSameCityAndAnotherLabelAnother() {
        let first = Self.events(people: 300, label: "demo").map { DepartmentTraffic.cloudEvent($0) }
        let again = Self.events(people: 300, label: "demo").map { DepartmentTraffic.cloudEvent($0) }
        let other = Self.events(people: 300, label: "other").map { DepartmentTraffic.cloudEvent($0) }
        #expect(first == again)
        let firstIDs = Set(first.compactMap { $0.objectValue?["id"] })
        #expect(firstIDs.isDisjoint(with: other.compactMap { $0.objectValue?["id"] }))
    }

    @Test func httpBatchesAreRunsOfOneSenderOfAtMostAHundred() throws {
        let door = HTTPDoor(url: URL(string: "http://127.0.0.1:1")!, tokens: [:])
        let events = Self.events(people: 400, label: "demo")
        let batches = door.batches(of: events)
        #expect(batches.flatMap { $0 }.map(\.id) == events.map(\.id))
        for batch in batches {
            #expect((1...100).contains(batch.count))
            #expect(Set(batch.map(\.actor)).count == 1)
        }
    }

    /// A size or pace out of bounds is refused before anything is sent, by one message naming
    /// the option as that command spells it.
    @Test func optionsOutOfBoundsAreRefusedByName() {
        func message(_ arguments: [String], _ command: any ParsableCommand.Type) -> String? {
            do { _ = try command.parseAsRoot(arguments); return nil } catch { return command.message(for: error) }
        }
        #expect(message(["--people", "0"], SimulateCommand.self) == "--people must be between 1 and 1000000")
        #expect(message(["--days", "4000"], SimulateCommand.self) == "--days must be between 1 and 3650")
        #expect(message(["--rate", "0"], SimulateCommand.self) == "--rate must be a number of events per second above 0")
        #expect(message(["--demo-people", "0"], DevCommand.self) == "--demo-people must be between 1 and 1000000")
        #expect(message(["--demo-rate", "0"], DevCommand.self) == "--demo-rate must be a number of events per second above 0")
        #expect(message(["--people", "10", "--days", "2", "--rate", "5"], SimulateCommand.self) == nil)
    }

    /// Nothing listening: one line that names the URL, not a dump of the URL error.
    @Test func anUnreachableIntakeIsReportedByItsURL() async throws {
        let port = try closedLoopbackPort()
        let door = HTTPDoor(url: URL(string: "http://127.0.0.1:\(port)/v1/events")!, tokens: ["public-security": "token"])
        let event = try #require(Self.events(people: 1, label: "demo").first { $0.actor == "public-security" })
        do {
            _ = try await door.send([event])
            Issue.record("a send to a closed port succeeded")
        } catch let error as SimulationError {
            #expect(error.description.hasPrefix("cannot POST to http://127.0.0.1:\(port)/v1/events: "))
            #expect(!error.description.contains("NSURLErrorDomain"))
        }
    }

    /// Real PostgreSQL, broker and HTTP: the intake of `dev` (its pipeline, Kafka door and HTTP
    /// app) on a fresh store schema and topic prefix takes a city over each door with no
    /// rejection, and the HTTP door answers a repeat as duplicates.
    @Test func theIntakeTakesTheCityWholeThroughBothDoors() async throws {
        var environment = try OneWindowEnvironment.load()
        let secrets = try Secrets.load()
        let organizations = try loadOrganizations()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        environment.topicPrefix = "bench-\(suffix)"
        let store = StoreConfiguration(schema: try SchemaName("bench_\(suffix)"))
        let logger = Logger(label: "simulation-test")
        do {
            try await Self.takeTheCity(environment: environment, secrets: secrets, organizations: organizations, store: store, suffix: String(suffix))
        } catch {
            try? await BenchCleanup.run(suffix: String(suffix), topicPrefixes: [environment.topicPrefix], environment: environment, logger: logger)
            throw error
        }
        try await BenchCleanup.run(suffix: String(suffix), topicPrefixes: [environment.topicPrefix], environment: environment, logger: logger)
    }

    static func takeTheCity(environment: OneWindowEnvironment, secrets: Secrets, organizations: OrganizationDirectory,
                            store: StoreConfiguration, suffix: String) async throws {
        let logger = Logger(label: "simulation-test")
        let parts = ServiceAssembly(environment: environment, logger: logger, store: store)
        try await withPostgres(environment, logger: logger) { client in
            _ = try await Migrator(client: client, logger: logger).migrate([StoreMigrations.set(for: store)])
        }
        try await parts.ensureTopics()
        let producer = try parts.producer()
        let pipeline = try parts.intakePipeline(secrets, organizations: organizations)
        let authority = try await TokenAuthority(secret: secrets.tokenSecret)
        let port = try closedLoopbackPort()
        let services = ServiceGroup(configuration: .init(services: [
            .init(service: producer),
            .init(service: try parts.ingestConsumer(pipeline: pipeline, producer: producer)),
            .init(service: try parts.http(port: port, intake: IntakeRoutes(pipeline: pipeline, tokens: authority))),
        ], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await running(parts.postgres) { try await services.run() } }
            defer { group.cancelAll() }
            let door = try await HTTPDoor.make(url: URL(string: "http://127.0.0.1:\(port)")!, authority: authority, organizations: organizations)
            let live = URL(string: "http://127.0.0.1:\(port)/health/live")!
            #expect(try await eventually(deadline: .seconds(30)) {
                ((try? await URLSession.shared.data(from: live))?.1 as? HTTPURLResponse)?.statusCode == 200
            })

            let overHTTP = DepartmentTraffic(people: 150, days: 30, rate: nil, label: "http-\(suffix)")
            let first = try await overHTTP.send(through: door)
            #expect(first.sent > 300 && first.accepted == first.sent && first.rejected == 0, "\(first)")
            let again = try await overHTTP.send(through: door)
            #expect(again.duplicate == again.sent && again.accepted == 0, "\(again)")

            let kafkaProducer = try parts.producer()
            group.addTask { try await kafkaProducer.run() }
            let overKafka = DepartmentTraffic(people: 150, days: 30, rate: 2_000, label: "kafka-\(suffix)")
            let sent = try await overKafka.send(through: KafkaDoor(producer: kafkaProducer, topic: IntakeTopics(prefix: environment.topicPrefix).ingest))
            func count(_ sql: String) async throws -> Int64 {
                try await parts.postgres.query(PostgresQuery(unsafeSQL: sql)).collect().first?.decode(Int64.self) ?? -1
            }
            #expect(try await eventually(deadline: .seconds(60)) {
                (try? await count("SELECT count(*) FROM \(store.schema).events WHERE event_id LIKE 'kafka-\(suffix)-%'")) == Int64(sent.sent)
            })
            #expect(try await count("SELECT count(*) FROM \(store.schema).ingest_rejections") == 0)
        }
    }
}
