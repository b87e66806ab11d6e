import API
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Intake
import Kafka
import Testing

@Suite("The HTTP door: POST /v1/events and GET /v1/events/{source}/{id}")
struct HTTPDoorTests {
    @Test func anEventIsAcceptedAndItsRepeatIsADuplicateThatChangesNothing() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let example = try Example.named("onewindow.resident.registered.v1/valid-family")
                let token = try await stack.token(org: "public-security")
                let first = try await door.post(example.event, token: token)
                #expect(first.status == 200)
                #expect(first.json?["status"] == .string("accepted"))
                #expect(first.json?["id"] == .string("reg-2026-000123"))
                let events = try await stack.count("SELECT count(*) FROM {schema}.events")
                let people = try await stack.count("SELECT count(*) FROM {schema}.people")
                let outbox = try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL")

                let again = try await door.post(batch: [example.event, example.event], token: token)
                #expect(again.results.map { $0["status"] } == [.string("duplicate"), .string("duplicate")])
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == events)
                #expect(try await stack.count("SELECT count(*) FROM {schema}.people") == people)
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE topic IS NOT NULL") == outbox)
                #expect(events == 1 && outbox == 1 && people == 2)  // the registrant, and the spouse named by identity

                let status = try await door.status(source: example.source!, id: example.id!, token: token)
                #expect(status.status == 200)
                #expect(status.json?["status"] == .string("accepted"))
            }
        }
    }

    @Test func everyInvalidExampleIsRejectedNamingItsField() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let invalid = Example.invalid
                #expect(invalid.count > 50)
                // One batch per sending organization, each example under its own id.
                let bySender = Dictionary(grouping: invalid.enumerated(), by: { $0.element.sendingOrganization })
                for (org, examples) in bySender {
                    let answer = try await door.post(batch: examples.map { $0.element.withID("bad-\($0.offset)") },
                                                     token: try await stack.token(org: org))
                    #expect(answer.status == 200)
                    #expect(answer.results.count == examples.count)
                    for (result, (_, example)) in zip(answer.results, examples) {
                        #expect(result["status"] == .string("rejected"), "\(example)")
                        #expect(result["field"] == example.brokenField.map(JSONValue.string), "\(example)")
                        #expect(result["reason"]?.stringValue?.isEmpty == false, "\(example)")
                    }
                }
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 0)
                // Rejections are queryable by (source, id).
                let (offset, example) = try #require(invalid.enumerated().first { $0.element.id != nil && $0.element.source != nil })
                let status = try await door.status(source: example.source!, id: "bad-\(offset)", token: try await stack.token(org: "health"))
                #expect(status.json?["status"] == .string("rejected"))
                #expect(status.json?["field"] == example.brokenField.map(JSONValue.string))
            }
        }
    }

    @Test func everyValidExampleIsAcceptedFromItsOwnOrganization() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                for example in Example.valid {
                    let answer = try await door.post(example.event, token: try await stack.token(org: example.event["actor"]!.stringValue!))
                    #expect(answer.json?["status"] == .string("accepted"), "\(example): \(answer.json?.text ?? "")")
                }
            }
        }
    }

    @Test func anEventAboutAnUnknownPersonIsAcceptedAndFlaggedNotRegistered() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let example = try Example.named("onewindow.certificate.checked.v1/valid-missing")
                let answer = try await door.post(example.event, token: try await stack.token(org: "health"))
                #expect(answer.json?["status"] == .string("accepted"))
                let flags = try await stack.texts("SELECT metadata::json->>'personRegistered' FROM {schema}.events")
                #expect(flags == ["false"])
                #expect(try await stack.count("SELECT count(*) FROM {schema}.people") == 1)
            }
        }
    }

    @Test func theTokenOrganizationMustBeTheActor() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let example = try Example.named("onewindow.resident.registered.v1/valid-minimal")
                let answer = try await door.post(example.event, token: try await stack.token(org: "health"))
                #expect(answer.status == 200)
                #expect(answer.json?["status"] == .string("rejected"))
                #expect(answer.json?["field"] == .string("/actor"))
            }
        }
    }

    @Test func anOrganizationMayPublishOnlyItsOwnTypes() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let example = try Example.named("onewindow.resident.registered.v1/valid-minimal")
                let event = example.event.setting(["actor"], to: .string("education"))
                let answer = try await door.post(event, token: try await stack.token(org: "education"))
                #expect(answer.json?["status"] == .string("rejected"))
                #expect(answer.json?["field"] == .string("/type"))
            }
        }
    }

    /// `\u0000` is valid JSON that no PostgreSQL text can hold, and an id of some kilobytes does
    /// not fit the rejections' index. Before, one such event failed its whole batch with 503,
    /// every time it was sent. Now it is rejected by its field, the rest of the batch is stored,
    /// and an id no event may have is simply unknown.
    @Test func aNULCharacterOrAHugeIDIsRejectedByItsFieldAndTheRestOfTheBatchIsStored() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let example = try Example.named("onewindow.resident.registered.v1/valid-family")
                let token = try await stack.token(org: "public-security")
                let nulID = example.withID("nul\u{0}id")
                let nulName = example.withID("nul-name").setting(["data", "name"], to: .string("张\u{0}伟"))
                // Random letters: a repeated one would be compressed to fit the index.
                var letters = SplitMix64(seed: 7)
                let huge = example.withID(String((0..<3_000).map { _ in Character(Unicode.Scalar(UInt8(97 + letters.next() % 26))) }))
                let answer = try await door.post(batch: [nulID, nulName, huge, example.event], token: token)
                #expect(answer.status == 200)
                #expect(answer.results.map { $0["status"] } == [.string("rejected"), .string("rejected"), .string("rejected"), .string("accepted")])
                #expect(answer.results.map { $0["field"] } == [.string("/id"), .string("/data/name"), .string("/id"), nil])
                #expect(answer.results[0]["id"] == nil)  // an id no event may have is not echoed or recorded
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 1)
                let rejected = try await door.status(source: example.source!, id: "nul-name", token: token)
                #expect(rejected.json?["status"] == .string("rejected"))
                #expect(rejected.json?["field"] == .string("/data/name"))
                let unknown = try await door.status(path: "\(example.source!.dropFirst())/nul%00id", token: token)
                #expect(unknown.status == 200)
                #expect(unknown.json?["status"] == .string("unknown"))
            }
        }
    }

    @Test func aBinaryModeEventIsAcceptedAndItsStatusFoundWithThePathWrittenOut() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let example = try Example.named("onewindow.service.requested.v1/valid-for-spouse")
                let record = BinaryMode.record(example.event, topic: "unused")
                var headers = HTTPFields()
                for header in record.headers {
                    let name = header.key.hasPrefix("ce_") ? "ce-" + header.key.dropFirst(3) : header.key
                    headers[HTTPField.Name(name)!] = String(decoding: header.value ?? [], as: UTF8.self)
                }
                let token = try await stack.token(org: example.event["actor"]!.stringValue!)
                let answer = try await door.post(record.value, token: token, headers: headers)
                #expect(answer.status == 200)
                #expect(answer.json?["status"] == .string("accepted"), "\(answer.json?.text ?? "")")
                let status = try await door.status(path: "\(example.source!.dropFirst())/\(example.id!)", token: token)
                #expect(status.json?["status"] == .string("accepted"))
            }
        }
    }
}
