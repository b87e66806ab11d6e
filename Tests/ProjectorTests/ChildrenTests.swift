import Domain
import Foundation
import PostgresNIO
@testable import Projector
import Store
import Testing

/// What the examples cannot show of `education.children`: the tables behind its view.
@Suite("education.children")
struct ChildrenTests {
    /// A school-enrollment request that comes before the parent's registration waits in
    /// `pending_requests` with the child's name; the parent's erasure must take it too, or the
    /// name would outlive the erasure in the read model.
    @Test func theParentsErasureTakesTheRequestsWaitingForARegistration() async throws {
        let definition = try #require(ProjectorTestStack.catalog.definition(named: "education.children"))
        let parent = "3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7c"
        let request: [String: JSONValue] = [
            "identity": .object(["type": .string("passport"), "number": .string("J56789012")]),
            "requestId": .string("R-970"), "category": .string("education"), "service": .string("school-enrollment"),
            "beneficiary": .string("周小安"),
        ]
        let example = Example(name: "waiting request, then erasure", events: [
            .init(type: "onewindow.service.requested.v1", subject: parent, time: "2026-03-02T09:30:00+08:00",
                  actor: "education", region: nil, data: .object(request)),
            .init(type: "onewindow.person.erased.v1", subject: parent, time: "2026-04-01T09:30:00+08:00",
                  actor: "office", region: nil, data: .object([:])),
        ], batches: [1, 2], rows: [])
        try await ProjectorTestStack.with { stack in
            let version = try await stack.registry.ensureLive(definition)
            let applier = BatchApplier(definition: definition, version: version, registry: stack.registry,
                                       revealer: stack.revealer, logger: stack.logger)
            let batches = Batching.asWritten.split(try await example.batchEvents(stack: stack))
            #expect(batches.count == 2)
            func waiting() async throws -> [String] {
                try await stack.client.collect(
                    PostgresQuery(unsafeSQL: "SELECT coalesce(by_name, '') FROM \(version.schema).pending_requests"),
                    logger: stack.logger
                ).map { try $0.decode(String.self) }
            }
            #expect(try await applier.apply(batches[0]).parked == 0)
            #expect(try await waiting() == ["周小安"])
            #expect(try await applier.apply(batches[1]).parked == 0)
            #expect(try await waiting() == [])
        }
    }

    /// A child named by identity is a person of their own: the revealer opens their strings with
    /// their key and marks the member with their person id. Once that key is deleted (erasure
    /// deletes it before the erasure event goes out), a registration revealed afterwards yields
    /// null for the child's name and number, and the registrant's own strings still open.
    @Test func aChildsStringsOpenWithTheChildsKeyAndNotOnceItIsDeleted() async throws {
        let definition = try #require(ProjectorTestStack.catalog.definition(named: "education.children"))
        let parent = "0b7f3c1e-2d4a-4e8b-9c6d-5f1a2b3c4d5e"
        let child = try #require(UUID(uuidString: "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098"))
        let registration: JSONValue = .object([
            "identity": .object(["type": .string("resident-id"), "number": .string("411523198807210128")]),
            "name": .string("张伟"), "sex": .string("male"), "birthDate": .string("1988-07-21"), "originRegion": .string("411523000000"),
            "residence": .object(["region": .string("320505001001"), "gridId": .string("G-0107")]), "arrivedOn": .string("2026-02-27"),
            "household": .array([
                .object(["relation": .string("child"), "name": .string("张小明"), "birthDate": .string("2019-09-01")]),
                .object(["relation": .string("child"), "name": .string("张小红"), "birthDate": .string("2020-08-15"),
                         "identity": .object(["type": .string("resident-id"), "number": .string("411523202008150455")])]),
            ]),
        ])
        let example = Example(name: "registered twice, the child's key deleted in between", events: [
            .init(type: "onewindow.resident.registered.v1", subject: parent, time: "2026-03-01T09:30:00+08:00",
                  actor: "public-security", region: nil, data: registration),
            .init(type: "onewindow.resident.registered.v1", subject: parent, time: "2026-05-01T09:30:00+08:00",
                  actor: "public-security", region: nil, data: registration),
        ], batches: [1, 2], rows: [], people: ["411523202008150455": child])
        try await ProjectorTestStack.with { stack in
            let version = try await stack.registry.ensureLive(definition)
            let batches = Batching.asWritten.split(try await example.batchEvents(stack: stack))
            #expect(batches.count == 2)
            #expect(batches[0][0].value.contains("enc:v1:\(child.lowercasedString):"))
            func children() async throws -> [String] {
                try await stack.client.collect(PostgresQuery(unsafeSQL: """
                    SELECT child_no || ' ' || coalesce(child_name, '-') || ' ' || coalesce(identity_number, '-') || ' ' || coalesce(child_person_id::text, '-')
                    FROM \(version.schema).children ORDER BY child_no
                    """), logger: stack.logger).map { try $0.decode(String.self) }
            }
            // Each applier has its own revealer, as two projector processes would (keys are cached).
            func applier() -> BatchApplier {
                BatchApplier(definition: definition, version: version, registry: stack.registry, revealer: stack.revealer, logger: stack.logger)
            }
            #expect(try await applier().apply(batches[0]).parked == 0)
            #expect(try await children() == ["1 张小明 - -", "2 张小红 411523202008150455 \(child.lowercasedString)"])
            try await stack.eraseKey(of: child)
            #expect(try await applier().apply(batches[1]).parked == 0)
            #expect(try await children() == ["1 张小明 - -", "2 - - \(child.lowercasedString)"])
        }
    }
}
