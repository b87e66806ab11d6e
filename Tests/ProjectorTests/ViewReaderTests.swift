import Domain
import Foundation
@testable import Projector
import Testing

@Suite("Reading a view")
struct ViewReaderTests {
    @Test func pagesFollowTheKeyFiltersApplyAndPersonalColumnsNeedPersonScope() async throws {
        try await ProjectorTestStack.with { stack in
            let children = try #require(ProjectorTestStack.catalog.definition(named: "education.children"))
            let version = try await stack.registry.ensureLive(children)
            let parents = (0..<5).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
            let examples = Example(name: "five families", events: parents.map { parent in
                Example.Event(type: "onewindow.resident.registered.v1", subject: parent, time: "2026-03-01T01:00:00Z",
                              actor: "public-security", region: nil, data: .object([
                    "identity": .object(["type": .string("passport"), "number": .string("P-\(parent.suffix(3))")]),
                    "name": .string("Parent"), "sex": .string("female"), "birthDate": .string("1990-01-01"),
                    "originRegion": .string("411523000000"),
                    "residence": .object(["region": .string("320505001001"), "gridId": .string("G-1")]),
                    "arrivedOn": .string("2026-02-01"),
                    "household": .array([
                        .object(["relation": .string("child"), "name": .string("Child A of \(parent.suffix(2))"), "birthDate": .string("2016-05-01")]),
                        .object(["relation": .string("child"), "name": .string("Child B of \(parent.suffix(2))"), "birthDate": .string("2019-05-01")]),
                    ]),
                ]))
            }, batches: parents.map { _ in 1 }, rows: [])
            let events = try await examples.batchEvents(stack: stack).map(\.event)
            let applier = BatchApplier(definition: children, version: version, registry: stack.registry, revealer: stack.revealer, logger: stack.logger)
            _ = try await applier.apply(events)

            let reader = ViewReader(client: stack.client, namespace: stack.namespace, logger: stack.logger)
            var seen: [[JSONValue]] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await reader.read(children, ViewQuery(cursor: cursor, limit: 3))
                #expect(page.rows.count <= 3)
                seen += page.rows
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 4)
            #expect(seen.count == 10)
            let personIndex = try #require(children.columns.firstIndex { $0.name == "personId" })
            let nameIndex = try #require(children.columns.firstIndex { $0.name == "childName" })
            let keys = seen.map { "\($0[personIndex])" }
            #expect(keys == keys.sorted(), "rows come in key order")
            #expect(seen.allSatisfy { $0[nameIndex] == .null }, "no person scope: personal columns are null")

            let filtered = try await reader.read(children, ViewQuery(filters: ["personId": parents[2]], includePersonal: true))
            #expect(filtered.rows.count == 2)
            #expect(Set(filtered.rows.map { $0[nameIndex] }) == [.string("Child A of 02"), .string("Child B of 02")])
            #expect(filtered.nextCursor == nil)

            await #expect(throws: ViewQueryError(field: "childName", problem: "cannot be filtered on (filters of education.children: \(children.columns.filter(\.filter).map(\.name).joined(separator: ", ")))")) {
                _ = try await reader.read(children, ViewQuery(filters: ["childName": "x"]))
            }
            await #expect(throws: ViewQueryError.self) { _ = try await reader.read(children, ViewQuery(filters: ["personId": "not-a-uuid"])) }
            await #expect(throws: ViewQueryError.self) { _ = try await reader.read(children, ViewQuery(filters: ["shoeSize": "42"])) }
            await #expect(throws: ViewQueryError.self) { _ = try await reader.read(children, ViewQuery(cursor: "garbage!")) }
            await #expect(throws: ViewQueryError.self) { _ = try await reader.read(children, ViewQuery(limit: 0)) }
        }
    }
}
