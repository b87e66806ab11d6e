import Store
import Testing

@Suite("Ingest status")
struct IngestStatusTests {
    @Test func unknownRejectedAndAcceptedStatusesRoundTrip() async throws {
        try await TestStack.withStore { stack in
            #expect(try await stack.ingest.status(source: "/orgs/x", id: "1") == .unknown)

            try await stack.ingest.recordRejection(
                IngestRejection(source: "/orgs/x", id: "1", reason: "identity checksum is wrong", field: "data.identity.number"))
            #expect(try await stack.ingest.status(source: "/orgs/x", id: "1")
                    == .rejected(reason: "identity checksum is wrong", field: "data.identity.number"))

            try await stack.ingest.recordRejections([
                IngestRejection(source: "/orgs/x", id: "2", reason: "not JSON", field: nil),
                IngestRejection(source: "/orgs/y", id: "1", reason: "unknown type", field: "type"),
            ])
            #expect(try await stack.ingest.status(source: "/orgs/x", id: "2") == .rejected(reason: "not JSON", field: nil))
            #expect(try await stack.ingest.status(source: "/orgs/y", id: "1") == .rejected(reason: "unknown type", field: "type"))

            let outcome = try await stack.events.appendBatch([BatchedEvent(stream: "p", event: Fixture.event(id: "3", source: "/orgs/x"))])
            guard case .appended(let appended) = outcome.first else { Issue.record("not appended"); return }
            #expect(try await stack.ingest.status(source: "/orgs/x", id: "3") == .accepted(position: appended.position))
        }
    }

    @Test func anAcceptedEventStaysAcceptedWhenAResendIsRejected() async throws {
        try await TestStack.withStore { stack in
            let result = try await stack.events.append(stream: "p", expectedVersion: .any, events: [Fixture.event(id: "9", source: "/orgs/x")])
            guard case .appended(let appended) = result else { Issue.record("not appended"); return }
            try await stack.ingest.recordRejection(IngestRejection(source: "/orgs/x", id: "9", reason: "late resend", field: nil))
            #expect(try await stack.ingest.status(source: "/orgs/x", id: "9") == .accepted(position: appended[0].position))
        }
    }
}
