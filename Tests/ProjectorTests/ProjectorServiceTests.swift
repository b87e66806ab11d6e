import Domain
import Foundation
import Kafka
import PostgresNIO
@testable import Projector
import Relay
import ServiceLifecycle
import Store
import Testing
import TestSupport

@Suite("Projector service on the broker")
struct ProjectorServiceTests {
    static var police: [ProjectionDefinition] { ProjectorTestStack.catalog.definitions(ofDepartment: "police") }

    func service(_ stack: ProjectorTestStack, _ definitions: [ProjectionDefinition]) -> ProjectorService {
        var settings = ProjectorSettings(kafka: stack.kafka, naming: stack.naming, store: stack.store)
        settings.checkInterval = .milliseconds(200)
        settings.batchSize = 2_000
        return ProjectorService(definitions: definitions, client: stack.client, namespace: stack.namespace,
                                protection: stack.protection, settings: settings, logger: stack.logger)
    }

    func count(_ stack: ProjectorTestStack, _ definition: ProjectionDefinition, where condition: String = "true") async throws -> Int {
        let rows = try await stack.client.collect(PostgresQuery(unsafeSQL:
            "SELECT count(*) FROM \(stack.namespace.viewSchema(definition)).\(definition.sqlName) WHERE \(condition)"), logger: stack.logger)
        return Int(try rows[0].decode(Int64.self))
    }

    /// Runs `service` alongside `body`, then stops it.
    func running<T: Sendable>(_ service: ProjectorService, _ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// In a ServiceGroup (as `dev` and `serve projector` run it), graceful shutdown is a clean
    /// end: a service that threw CancellationError there would read as a failed service.
    @Test func gracefulShutdownEndsTheServiceWithoutAnError() async throws {
        try await ProjectorTestStack.with { stack in
            try await CanonicalFeed(stack: stack).ensureTopics()
            let residents = try #require(Self.police.first { $0.name == "police.residents" })
            let group = ServiceGroup(configuration: .init(services: [.init(service: service(stack, [residents]))], logger: stack.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Running: the live version exists once the runner has started.
                #expect(try await eventually { (try? await stack.registry.versions(of: residents.name).live) != nil })
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()  // a service that threw would surface here as the group's error
            }
        }
    }

    @Test func aPoisonEventIsParkedWithItsReasonAndLaterEventsStillApply() async throws {
        try await ProjectorTestStack.with { stack in
            let feed = CanonicalFeed(stack: stack)
            try await feed.ensureTopics()
            var events = CanonicalFeed.city(people: 40).filter { $0.type == "onewindow.resident.registered.v1" }
            // One registration whose arrival date PostgreSQL cannot read, in the middle.
            guard case .object(var data) = events[20].data else { Issue.record("no data"); return }
            data["arrivedOn"] = .string("2026-02-31")
            events[20].data = .object(data)
            let published = events
            try await feed.withProducer { try await feed.publish(published, producer: $0) }
            let residents = try #require(Self.police.first { $0.name == "police.residents" })
            let caughtUp = try await running(service(stack, [residents])) {
                try await eventually { (try? await count(stack, residents)) == 39 }
            }
            #expect(caughtUp)
            let parked = try await stack.client.collect(
                "SELECT event_id, reason FROM \(unescaped: stack.namespace.bookkeeping.rawValue).parked", logger: stack.logger)
            #expect(parked.count == 1)
            let (id, reason) = try parked[0].decode((String?, String).self)
            #expect(id == "feed-21")
            #expect(reason.contains("date"), "the reason is PostgreSQL's: \(reason)")
            let status = try await ProjectionStatusReader(registry: stack.registry, kafka: stack.kafka, naming: stack.naming,
                                                          logger: stack.logger).read([residents])
            #expect(status.map(\.parked) == [1])
            #expect(status.map(\.applied) == [39])
            #expect(status.first?.lastPosition == 40)
        }
    }

    @Test func monitoringFlowsNeverShowsACountBetweenOneAndFour() async throws {
        try await ProjectorTestStack.with { stack in
            let feed = CanonicalFeed(stack: stack)
            try await feed.ensureTopics()
            let events = CanonicalFeed.city(people: 600, seed: 7)
            try await feed.withProducer { try await feed.publish(events, producer: $0) }
            let flows = try #require(ProjectorTestStack.catalog.definition(named: "monitoring.flows"))
            let consumed = try await running(service(stack, [flows])) {
                try await eventually {
                    let rows = try await stack.client.collect(
                        "SELECT coalesce(sum(applied), 0)::bigint FROM \(unescaped: stack.namespace.bookkeeping.rawValue).progress",
                        logger: stack.logger)
                    return try rows[0].decode(Int64.self) == Int64(events.count)
                }
            }
            #expect(consumed)
            let rows = try await stack.contents(of: flows)
            #expect(!rows.isEmpty)
            var shown = 0
            for row in rows {
                for column in ["arrivals", "departures", "residents"] {
                    guard let text = row[column] ?? nil else { continue }
                    let value = try #require(Int(text))
                    #expect(value == 0 || value >= 5, "\(column) = \(value) in \(row)")
                    if value >= 5 { shown += 1 }
                }
            }
            #expect(shown > 0, "some counts are large enough to show")
        }
    }

    @Test func aRebuildWhileEventsKeepArrivingSwitchesWithoutLosingAnEvent() async throws {
        try await ProjectorTestStack.with { stack in
            let feed = CanonicalFeed(stack: stack)
            try await feed.ensureTopics()
            let first = CanonicalFeed.city(people: 400, seed: 1, idPrefix: "00000001")
            let second = CanonicalFeed.city(people: 400, seed: 2, idPrefix: "00000002")
            let residents = try #require(Self.police.first { $0.name == "police.residents" })
            let projector = service(stack, Self.police)
            try await feed.withProducer { try await feed.publish(first, producer: $0) }
            try await running(projector) { () async throws in
                #expect(try await eventually { (try? await count(stack, residents)) == 400 })
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Events keep arriving, in small chunks, during the rebuild.
                    group.addTask {
                        try await feed.withProducer { producer in
                            for start in stride(from: 0, to: second.count, by: 50) {
                                try await feed.publish(Array(second[start..<min(start + 50, second.count)]),
                                                       firstPosition: first.count + start + 1, producer: producer)
                                try await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                    group.addTask { _ = try await projector.rebuild(residents) }
                    try await group.waitForAll()
                }
                let versions = try await stack.registry.versions(of: residents.name)
                #expect(versions.live?.version == 2)
                #expect(versions.building == nil)
                #expect(try await eventually { (try? await count(stack, residents)) == 800 })
                #expect(try await count(stack, residents, where: "status = 'departed'") == 160)
            }
            // The rebuilt version equals a clean build of everything (a third version).
            let rebuilt = try await stack.contents(of: residents)
            let clean = try await running(service(stack, [])) { try await projector.rebuild(residents) }
            #expect(clean.version == 3)
            #expect(try await stack.contents(of: residents).sortedRows == rebuilt.sortedRows)
        }
    }
}

@Suite("Projection versions")
struct ProjectionVersionTests {
    /// A changed definition is rebuilt beside the live version, which runs on meanwhile: with
    /// the new handlers it would meet its old tables and park every event until the switch. It
    /// keeps the handlers it was created with (stored with the version); the new version runs
    /// the new ones.
    @Test func theLiveVersionKeepsItsOwnHandlersWhenTheDefinitionChanges() async throws {
        let old = try #require(ProjectorTestStack.catalog.definition(named: "police.residents"))
        let changed = old.changed(
            schemaSQL: SQLScript(old.schemaSQL.text + "ALTER TABLE {{schema}}.residents ADD COLUMN noted boolean NOT NULL DEFAULT false;\n"),
            handlersSQL: SQLScript(old.handlersSQL.text + "UPDATE {{schema}}.residents r SET noted = true FROM batch b WHERE r.person_id = b.person_id;\n"))
        let registration: JSONValue = .object([
            "identity": .object(["type": .string("passport"), "number": .string("E12345678")]),
            "name": .string("Anna Petrova"), "sex": .string("female"), "birthDate": .string("1995-11-02"), "originRegion": .string("510124000000"),
            "residence": .object(["region": .string("320505001000"), "gridId": .string("G-0001")]), "arrivedOn": .string("2026-02-01"),
        ])
        let example = Example(name: "one registration", events: [
            .init(type: "onewindow.resident.registered.v1", subject: "5c2d9e4f-7a1b-4c3d-8e5f-a1b2c3d4e5f6", time: "2026-03-01T09:30:00+08:00",
                  actor: "public-security", region: nil, data: registration),
        ], batches: [1], rows: [])
        try await ProjectorTestStack.with { stack in
            _ = try await stack.registry.ensureLive(old)
            let live = try #require(try await stack.registry.versions(of: old.name).live)
            #expect(live.handlers == old.handlersSQL)
            let batch = try await example.batchEvents(stack: stack).map(\.event)
            let onOld = try await BatchApplier(definition: changed, version: live, registry: stack.registry, revealer: nil, logger: stack.logger).apply(batch)
            #expect(onOld.parked == 0 && onOld.applied == 1)

            let building = try await stack.registry.startBuilding(changed)
            let rebuilt = try #require(try await stack.registry.versions(of: old.name).building)
            #expect(building.version == 2 && rebuilt.handlers == changed.handlersSQL)
            let onNew = try await BatchApplier(definition: changed, version: rebuilt, registry: stack.registry, revealer: nil, logger: stack.logger).apply(batch)
            #expect(onNew.parked == 0 && onNew.applied == 1)
            let noted = try await stack.client.collect(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(rebuilt.schema).residents WHERE noted"), logger: stack.logger)
            #expect(try noted[0].decode(Int64.self) == 1)
        }
    }

    /// The same holds for what the version consumes. Here the change drops a type the live
    /// version reads and stops revealing: the live version still takes the request, with the
    /// beneficiary's name opened, into its table, and the rebuilt version passes it over.
    @Test func theLiveVersionKeepsItsOwnTypesAndRevealWhenTheDefinitionChanges() async throws {
        let old = try #require(ProjectorTestStack.catalog.definition(named: "education.children"))
        #expect(old.reveal && old.types.contains("onewindow.service.requested.v1"))
        let changed = old.changed(types: old.types.subtracting(["onewindow.service.requested.v1"]), reveal: false)
        let request: JSONValue = .object([
            "identity": .object(["type": .string("passport"), "number": .string("J56789012")]),
            "requestId": .string("R-971"), "category": .string("education"), "service": .string("school-enrollment"),
            "beneficiary": .string("周小安"),
        ])
        let example = Example(name: "a request waiting for the registration", events: [
            .init(type: "onewindow.service.requested.v1", subject: "3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7d", time: "2026-03-02T09:30:00+08:00",
                  actor: "education", region: nil, data: request),
        ], batches: [1], rows: [])
        try await ProjectorTestStack.with { stack in
            _ = try await stack.registry.ensureLive(old)
            let live = try #require(try await stack.registry.versions(of: old.name).live)
            #expect(live.consumption == old.consumption)
            let batch = try await example.batchEvents(stack: stack).map(\.event)
            #expect(batch[0].value.contains("enc:v1:"), "the name is sealed on the topic")
            func waiting(_ version: ProjectionVersion) async throws -> [String] {
                try await stack.client.collect(
                    PostgresQuery(unsafeSQL: "SELECT coalesce(by_name, '') FROM \(version.schema).pending_requests"), logger: stack.logger
                ).map { try $0.decode(String.self) }
            }
            let onOld = try await BatchApplier(definition: changed, version: live, registry: stack.registry,
                                               revealer: stack.revealer, logger: stack.logger).apply(batch)
            #expect(onOld.applied == 1 && onOld.parked == 0)
            #expect(try await waiting(live) == ["周小安"])

            _ = try await stack.registry.startBuilding(changed)
            let rebuilt = try #require(try await stack.registry.versions(of: old.name).building)
            #expect(rebuilt.consumption == changed.consumption)
            let onNew = try await BatchApplier(definition: changed, version: rebuilt, registry: stack.registry,
                                               revealer: stack.revealer, logger: stack.logger).apply(batch)
            #expect(onNew.applied == 0 && onNew.skipped == 1)
            #expect(try await waiting(rebuilt) == [])
        }
    }

    /// What a version stores of its handlers reads back as the same statements, for every shipped projection.
    @Test func aScriptWrittenOutReadsBackAsTheSameStatements() {
        for definition in ProjectorTestStack.catalog.definitions {
            #expect(SQLScript(definition.handlersSQL.text) == definition.handlersSQL, "\(definition.name)")
            #expect(SQLScript(definition.schemaSQL.text) == definition.schemaSQL, "\(definition.name)")
        }
    }
}

extension ProjectionDefinition {
    /// This definition with some parts changed, as an edit on disk would change it (a new fingerprint).
    func changed(types: Set<String>? = nil, reveal: Bool? = nil, schemaSQL: SQLScript? = nil, handlersSQL: SQLScript? = nil) -> ProjectionDefinition {
        ProjectionDefinition(
            name: name, department: department, sqlName: sqlName, description: description, topics: topics,
            types: types ?? self.types, reveal: reveal ?? self.reveal, key: key, columns: columns,
            schemaSQL: schemaSQL ?? self.schemaSQL, handlersSQL: handlersSQL ?? self.handlersSQL,
            viewSQL: viewSQL, fingerprint: fingerprint + "-changed")
    }
}

extension Array where Element == [String: String?] {
    var sortedRows: [String] {
        map { row in row.keys.sorted().map { "\($0)=\(row[$0]!.map { $0 } ?? "null")" }.joined(separator: "|") }.sorted()
    }
}
