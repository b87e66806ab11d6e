import Domain
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
}
