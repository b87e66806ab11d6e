import Domain
import Foundation
import Intake
@testable import Projector
import Testing
import Yams

/// Every `examples.yaml` under `Projections/`, run through the real batch applier on
/// PostgreSQL: as written, again with every event in a batch of its own, and again with the
/// subjects interleaved the other way round. Set-based handlers must give the same rows
/// whichever way the events are batched, and whatever order events of different subjects
/// arrive in: they live on different partitions, which a live version and its rebuild (or a
/// projector restarted after a crash) consume in different interleavings.
@Suite("Projection examples")
struct ExamplesTests {
    static let definitionsWithExamples: [ProjectionDefinition] = ProjectorTestStack.catalog.definitions.filter {
        FileManager.default.fileExists(atPath: ExampleFile.url(of: $0).path)
    }

    @Test func everyProjectionHasExamples() {
        let missing = ProjectorTestStack.catalog.definitions.filter { !Self.definitionsWithExamples.contains($0) }.map(\.name)
        #expect(missing.isEmpty, "no examples.yaml for \(missing)")
    }

    @Test(arguments: definitionsWithExamples.map(\.name))
    func examplesHold(_ name: String) async throws {
        let definition = try #require(ProjectorTestStack.catalog.definition(named: name))
        let examples = try ExampleFile.load(definition)
        #expect(!examples.isEmpty)
        for example in examples {
            for batching in [Batching.asWritten, .oneEventPerBatch, .subjectsReversed] {
                try await ProjectorTestStack.with { stack in
                    let version = try await stack.registry.ensureLive(definition)
                    let applier = BatchApplier(definition: definition, version: version, registry: stack.registry,
                                               revealer: definition.reveal ? stack.revealer : nil, logger: stack.logger)
                    let events = try await example.batchEvents(stack: stack)
                    for batch in batching.split(events) {
                        let outcome = try await applier.apply(batch)
                        #expect(outcome.parked == 0, "\(name) / \(example.name): an event was parked")
                    }
                    let actual = try await stack.contents(of: definition)
                    let problems = ExampleRows.compare(expected: example.rows, actual: actual)
                    #expect(problems.isEmpty, "\(name) / \(example.name) (\(batching)): \(problems.joined(separator: "; "))")
                }
            }
        }
    }
}

enum Batching: CustomStringConvertible {
    case asWritten, oneEventPerBatch, subjectsReversed

    /// `events` come in topic order, batch by batch (see ``Example/batchEvents(stack:)``).
    func split(_ events: [(batch: Int, event: BatchEvent)]) -> [[BatchEvent]] {
        switch self {
        case .oneEventPerBatch: return events.map { [$0.event] }
        case .subjectsReversed:
            // One event per batch; the subject seen last goes first, each subject's own
            // events stay in their order (as on their partition).
            var rank: [String: Int] = [:]
            for (_, event) in events where rank[event.subject] == nil { rank[event.subject] = rank.count }
            return events.enumerated()
                .sorted { (-rank[$0.element.event.subject]!, $0.offset) < (-rank[$1.element.event.subject]!, $1.offset) }
                .map { [$0.element.event] }
        case .asWritten:
            var batches: [[BatchEvent]] = []
            var current: Int?
            for (batch, event) in events {
                if batch != current { batches.append([]); current = batch }
                batches[batches.count - 1].append(event)
            }
            return batches
        }
    }

    var description: String {
        switch self {
        case .asWritten: "as written"
        case .oneEventPerBatch: "one event per batch"
        case .subjectsReversed: "subjects interleaved the other way round"
        }
    }
}

/// One example of an `examples.yaml`.
struct Example {
    struct Event {
        var type: String
        var subject: String
        var time: String
        var actor: String
        var region: String?
        var data: JSONValue
    }

    var name: String
    var events: [Event]
    var batches: [Int]
    var rows: [[String: String?]]
    /// `people:` identity number → person id, for household members and beneficiaries named by
    /// identity: their strings are sealed under that person's key, as the intake does.
    var people: [String: UUID] = [:]

    /// The events as the projector would consume them: canonical CloudEvents with personal
    /// fields sealed under the person's key, in topic order: batch 1's events first (in the
    /// order written), then batch 2's, at increasing positions. Each subject has a partition
    /// of its own (offsets count per partition), so any order that keeps each subject's
    /// events in sequence is one a consumer could see.
    func batchEvents(stack: ProjectorTestStack) async throws -> [(batch: Int, event: BatchEvent)] {
        var offsets: [String: Int64] = [:]
        var partitions: [String: Int32] = [:]
        var result: [(batch: Int, event: BatchEvent)] = []
        let ordered = zip(batches, events).enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        for (index, (batch, event)) in ordered.map({ $0.element }).enumerated() {
            let canonical = event.type.hasPrefix("onewindow.case.") ? "case"
                : event.type == "onewindow.housing.unit-registered.v1" ? "housing" : "person"
            var data = event.data
            var members: [(String, JSONValue)] = [
                ("specversion", .string("1.0")), ("id", .string("example-\(index)")), ("source", .string("/examples")),
                ("type", .string(event.type)), ("time", .string(event.time)), ("datacontenttype", .string("application/json")),
                ("subject", .string(event.subject)), ("actor", .string(event.actor)),
            ]
            if let region = event.region { members.append(("region", .string(region))) }
            members.append(("position", .number(Double(index + 1))))
            if canonical == "person", let person = UUID(uuidString: event.subject) {
                members.append(("personid", .string(event.subject.lowercased())))
                var others: [Identity: PersonalFields.Holder] = [:]
                for identity in Self.identities(in: data) {
                    guard let holder = people[identity.number] else { continue }
                    others[identity] = PersonalFields.Holder(person: holder, key: try await stack.key(for: holder))
                }
                data = try PersonalFields.protect(data, with: try await stack.key(for: person), others: others)
            }
            members.append(("data", data))
            let value = String(decoding: JSONValue.object(Dictionary(uniqueKeysWithValues: members)).encoded(), as: UTF8.self)
            let topic = stack.naming.name(of: CanonicalTopicName(canonical))
            let partition = partitions[topic + " " + event.subject] ?? Int32(partitions.count)
            partitions[topic + " " + event.subject] = partition
            let offset = offsets["\(topic)[\(partition)]", default: 0]
            offsets["\(topic)[\(partition)]"] = offset + 1
            result.append((batch, BatchEvent(topic: topic, partition: partition, offset: offset, canonical: canonical, subject: event.subject,
                                             type: event.type, eventID: "example-\(index)", position: Int64(index + 1),
                                             time: event.time, value: value)))
        }
        return result
    }

    /// Every valid identity object in `value`.
    static func identities(in value: JSONValue) -> [Identity] {
        switch value {
        case .object(let members):
            var found: [Identity] = []
            if case .string(let type)? = members["type"], let kind = IdentityKind(rawValue: type), case .string(let number)? = members["number"],
               let identity = try? Identity(kind: kind, number: number) {
                found.append(identity)
            }
            for member in members.values { found += identities(in: member) }
            return found
        case .array(let items): return items.flatMap(identities(in:))
        default: return []
        }
    }
}

import Relay

func CanonicalTopicName(_ name: String) -> CanonicalTopic { CanonicalTopic(rawValue: name)! }

/// Reads `examples.yaml` keeping scalars as written (a date stays the text `2026-03-01`).
enum ExampleFile {
    static func url(of definition: ProjectionDefinition) -> URL {
        ProjectorTestStack.repositoryRoot.appendingPathComponent("Projections")
            .appendingPathComponent(definition.name.split(separator: ".")[0].description)
            .appendingPathComponent(definition.name.split(separator: ".")[1].description)
            .appendingPathComponent("examples.yaml")
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ definition: ProjectionDefinition) throws -> [Example] {
        let text = try String(contentsOf: url(of: definition), encoding: .utf8)
        guard let root = try Yams.compose(yaml: text), case .sequence(let items) = root else {
            throw Malformed(description: "\(definition.name): examples.yaml is not a list")
        }
        return try items.map { item in
            guard let name = item["name"]?.string, case .sequence(let events)? = item["events"], case .sequence(let rows)? = item["rows"] else {
                throw Malformed(description: "\(definition.name): an example needs name, events and rows")
            }
            var parsed: [Example.Event] = []
            var batches: [Int] = []
            for event in events {
                guard let type = event["type"]?.string, let subject = event["subject"]?.string, let time = event["time"]?.string,
                      let data = event["data"] else {
                    throw Malformed(description: "\(definition.name) / \(name): an event needs type, subject, time and data")
                }
                parsed.append(Example.Event(type: type, subject: subject, time: time, actor: event["actor"]?.string ?? "public-security",
                                            region: event["region"]?.string, data: json(data)))
                batches.append(event["batch"]?.int ?? 1)
            }
            let expected: [[String: String?]] = try rows.map { row in
                guard case .mapping(let pairs) = row else { throw Malformed(description: "\(definition.name) / \(name): a row is not a mapping") }
                var values: [String: String?] = [:]
                for (key, value) in pairs {
                    guard let column = key.string else { continue }
                    guard definition.column(column) != nil else {
                        throw Malformed(description: "\(definition.name) / \(name): \(column) is not a column of the view")
                    }
                    values[column] = value.tag.description.hasSuffix(":null") ? .some(nil) : .some(value.string ?? "")
                }
                return values
            }
            var people: [String: UUID] = [:]
            if case .mapping(let pairs)? = item["people"] {
                for (number, id) in pairs {
                    guard let number = number.string, let id = id.string.flatMap(UUID.init(uuidString:)) else {
                        throw Malformed(description: "\(definition.name) / \(name): people maps identity numbers to person ids")
                    }
                    people[number] = id
                }
            }
            return Example(name: name, events: parsed, batches: batches, rows: expected, people: people)
        }
    }

    /// A YAML node as JSON: plain scalars by their resolved tag, everything else as strings.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let pairs):
            var members: [String: JSONValue] = [:]
            for (key, value) in pairs { members[key.string ?? ""] = json(value) }
            return .object(members)
        case .sequence(let items):
            return .array(items.map(json))
        case .scalar(let scalar):
            let tag = node.tag.description
            if tag.hasSuffix(":null") { return .null }
            if tag.hasSuffix(":bool") { return .bool(node.bool ?? false) }
            if tag.hasSuffix(":int") || tag.hasSuffix(":float") { return Double(scalar.string).map(JSONValue.number) ?? .string(scalar.string) }
            return .string(scalar.string)
        case .alias:
            return .null
        }
    }
}

enum ExampleRows {
    /// What differs between the expected rows (each listing the columns it checks) and the
    /// view's rows; empty when every expected row matches a distinct actual row and the
    /// counts agree.
    static func compare(expected: [[String: String?]], actual: [[String: String?]]) -> [String] {
        var problems: [String] = []
        if expected.count != actual.count { problems.append("expected \(expected.count) rows, the view has \(actual.count): \(render(actual))") }
        var unused = Array(actual.indices)
        for row in expected {
            if let match = unused.firstIndex(where: { index in row.allSatisfy { actual[index][$0.key] == $0.value } }) {
                unused.remove(at: match)
            } else {
                problems.append("no row matches \(render([row])) among \(render(actual))")
            }
        }
        return problems
    }

    static func render(_ rows: [[String: String?]]) -> String {
        rows.map { row in "{" + row.keys.sorted().map { "\($0): \(row[$0]!.map { $0 } ?? "null")" }.joined(separator: ", ") + "}" }
            .joined(separator: " ")
    }
}
