import Crypto
import Domain
import Foundation
import Intake
import Kafka
import Relay
import Store

/// The synthetic city of `bench rebuild` and `bench latency`: canonical records exactly as the
/// relay publishes them (`CloudEventRecord.make` of an in-memory `RecordedEvent`), with the
/// personal fields sealed under a per-person key whose wrapped form goes to the store, so a
/// view that reveals (education.children) decrypts as it would in production.
///
/// People come in chunks; within a chunk every person's events are in their own order
/// (housing units, registrations, then follow-ups, case steps and departures), people
/// interleaved. Per 100 people, on average: 25 housing units, 100 registrations (30 with a
/// child, 30 with a spouse), 20 moves, 30 certificate checks and 10 issues, 20 permit
/// applications (15 issued, 5 rejected), 25 service requests and 15 deliveries (school
/// enrollment, job training, wage arrears, prenatal care, legal aid), 10 cases of four steps
/// each (opened, assigned, resolved, closed), 8 departures: about 3.3 events per person.
struct SyntheticCity {
    let protection: DataProtection
    let naming: TopicNaming
    /// Distinguishes the people and events of one run from another's.
    let label: String
    /// The global position of the last event made.
    private(set) var position: Int64 = 0
    private var versions: [String: Int64] = [:]
    private let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// Eight hex digits of the label's hash: the first group of every id of this run.
    private let idPrefix: String

    init(protection: DataProtection, naming: TopicNaming, label: String) {
        (self.protection, self.naming, self.label) = (protection, naming, label)
        idPrefix = SHA256.hash(data: Data(label.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    struct Chunk {
        var records: [KafkaOutgoingMessage] = []
        /// The people of the chunk for the store's key table (blind hash → id and wrapped key).
        var people: [Data: NewPerson] = [:]
    }

    static let townships = ["320505001", "320505002", "320506003", "320507004", "320508005", "320509006"]
    static let origins = ["411523000000", "411524000000", "510100000000", "430100000000", "341200000000", "362100000000"]

    /// The personId of the `index`th person of this run.
    func personID(_ index: Int) -> String {
        String(format: "%@-0000-4000-8000-%012x", idPrefix, index)
    }


    /// The events of people `range` (a person's events never cross chunks).
    mutating func chunk(people range: Range<Int>) throws -> Chunk {
        var chunk = Chunk()
        chunk.records.reserveCapacity(range.count * 4)
        versions.removeAll(keepingCapacity: true)
        struct Person {
            var index: Int
            var id: String
            var key: SymmetricKey
            var random: SplitMix64
            var township: String
            var identity: JSONValue
        }
        var people: [Person] = []
        for index in range {
            let id = personID(index)
            let key = protection.newPersonKey()
            let uuid = UUID(uuidString: id)!
            chunk.people[Data(SHA256.hash(data: Data("\(label)-\(index)".utf8)))] =
                NewPerson(id: uuid, wrappedKey: try protection.wrap(key, for: uuid))
            var random = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9 &+ 17)
            let township = Self.townships[Int(random.next() % UInt64(Self.townships.count))]
            let identity: JSONValue = .object(["type": .string("passport"), "number": .string(String(format: "E%08d", index))])
            people.append(Person(index: index, id: id, key: key, random: random, township: township, identity: identity))
        }

        // Housing units: one per four people.
        for person in people where person.index % 4 == 0 {
            let unit = "HU-\(label)-\(person.index / 4)"
            chunk.records.append(try record("onewindow.housing.unit-registered.v1", .housing, stream: unit, actor: "housing",
                                            region: person.township + "001", data: .object([
                "housingUnitId": .string(unit), "region": .string(person.township + "001"),
                "gridId": .string("G-\(person.index % 97)"), "address": .string("Building \(person.index / 4), Changjiang Road"),
                "capacity": .number(Double(2 + person.index % 5)),
            ]), key: nil))
        }
        // Registrations.
        for i in people.indices {
            var person = people[i]
            var household: [JSONValue] = []
            if person.random.next() % 10 < 3 {
                household.append(.object([
                    "relation": .string("spouse"), "name": .string("Spouse \(person.index)"), "birthDate": .string("1991-05-02"),
                    "identity": .object(["type": .string("passport"), "number": .string(String(format: "S%08d", person.index))]),
                ]))
            }
            if person.random.next() % 10 < 3 {
                household.append(.object([
                    "relation": .string("child"), "name": .string("Child \(person.index)"),
                    "birthDate": .string("201\(5 + person.index % 5)-0\(1 + person.index % 9)-1\(person.index % 10)"),
                ]))
            }
            var data: [String: JSONValue] = [
                "identity": person.identity, "name": .string("Resident \(person.index)"), "sex": .string(person.index % 2 == 0 ? "female" : "male"),
                "birthDate": .string("19\(70 + person.index % 30)-0\(1 + person.index % 9)-2\(person.index % 8)"),
                "phone": .string(String(format: "138%08d", person.index % 100_000_000)),
                "originRegion": .string(Self.origins[person.index % Self.origins.count]),
                "residence": .object([
                    "region": .string(person.township + String(format: "%03d", 1 + person.index % 3)),
                    "gridId": .string("G-\(person.index % 97)"), "housingUnitId": .string("HU-\(label)-\(person.index / 4)"),
                ]),
                "arrivedOn": .string(day(0)),
            ]
            if !household.isEmpty { data["household"] = .array(household) }
            chunk.records.append(try record("onewindow.resident.registered.v1", .person, stream: person.id, actor: "public-security",
                                            region: person.township, data: .object(data), key: person.key))
            people[i] = person
        }
        // Follow-ups: moves, certificates, permits, services.
        for i in people.indices {
            var person = people[i]
            let roll = Int(person.random.next() % 100)
            func personal(_ type: String, actor: String, _ members: [String: JSONValue]) throws -> KafkaOutgoingMessage {
                var data = members
                data["identity"] = person.identity
                return try record(type, .person, stream: person.id, actor: actor, region: person.township, data: .object(data), key: person.key)
            }
            if roll < 20 {
                let township = Self.townships[(person.index + 1) % Self.townships.count]
                chunk.records.append(try personal("onewindow.resident.moved.v1", actor: "public-security", [
                    "residence": .object(["region": .string(township + "002"), "gridId": .string("G-\(person.index % 89)"),
                                          "housingUnitId": .string("HU-\(label)-\((person.index / 4) ^ 1)")]),
                    "movedOn": .string(day(1)),
                ]))
            }
            if roll % 10 < 3 {
                chunk.records.append(try personal("onewindow.certificate.checked.v1", actor: "health", [
                    "certificate": .string("marriage-childbearing"), "result": .string(roll % 10 == 0 ? "missing" : "valid"),
                    "checkedDuring": .string("prenatal-care"),
                ]))
                if roll % 10 == 0 {
                    chunk.records.append(try personal("onewindow.certificate.issued.v1", actor: "health-411523", [
                        "certificate": .string("marriage-childbearing"), "validUntil": .string("2031-03-01"),
                    ]))
                }
            }
            if roll >= 80 {
                let application = "A-\(label)-\(person.index)"
                chunk.records.append(try personal("onewindow.permit.applied.v1", actor: "public-security", [
                    "applicationId": .string(application), "appliedOn": .string(day(2)),
                ]))
                chunk.records.append(try roll < 95
                    ? personal("onewindow.permit.issued.v1", actor: "public-security", [
                        "applicationId": .string(application), "permitNumber": .string("JZZ-\(person.index)"),
                        "validFrom": .string(day(3)), "validUntil": .string("2027-12-31"),
                    ])
                    : personal("onewindow.permit.rejected.v1", actor: "public-security", [
                        "applicationId": .string(application), "reason": .string("resident-under-30-days"),
                    ]))
            }
            if roll % 4 == 1 {
                let services: [(category: String, service: String, actor: String)] = [
                    ("education", "school-enrollment", "education"), ("employment", "job-training", "human-resources"),
                    ("employment", "wage-arrears", "human-resources"), ("reproductive-health", "prenatal-care", "health"),
                    ("legal-aid", "legal-consultation", "justice"),
                ]
                let pick = services[Int(person.random.next() % UInt64(services.count))]
                let request = "R-\(label)-\(person.index)"
                chunk.records.append(try personal("onewindow.service.requested.v1", actor: pick.actor, [
                    "requestId": .string(request), "category": .string(pick.category), "service": .string(pick.service),
                ]))
                if person.random.next() % 10 < 6 {
                    chunk.records.append(try personal("onewindow.service.delivered.v1", actor: pick.actor, [
                        "requestId": .string(request), "category": .string(pick.category), "service": .string(pick.service),
                        "deliveredOn": .string(day(4)), "provider": .string(pick.actor),
                    ]))
                }
            }
            people[i] = person
        }
        // Cases: one per ten people, four steps each.
        for person in people where person.index % 10 == 3 {
            let caseID = personID(person.index).replacingOccurrences(of: "-0000-4000-", with: "-0001-4000-")
            let kinds = ["school-enrollment", "wage-arrears", "certificate-request", "social-assistance"]
            let kind = kinds[person.index % kinds.count]
            let assignees = ["education", "human-resources", "health", "civil-affairs"]
            func step(_ type: String, _ members: [String: JSONValue]) throws -> KafkaOutgoingMessage {
                var data = members
                data["caseId"] = .string(caseID)
                return try record(type, .case, stream: caseID, actor: "onewindow-office", source: "/onewindow/workflow",
                                  region: person.township, data: .object(data), key: nil)
            }
            var opened: [String: JSONValue] = [
                "kind": .string(kind), "personId": .string(person.id), "priority": .string(person.index % 3 == 0 ? "high" : "normal"),
                "dueAt": .string(RFC3339.format(start.addingTimeInterval(Double(position) * 10 + 86_400))), "by": .string("office"),
            ]
            if kind == "wage-arrears" { opened["otherRegion"] = .string(Self.origins[person.index % Self.origins.count]) }
            chunk.records.append(try step("onewindow.case.opened.v1", opened))
            let assignee = assignees[person.index % assignees.count]
            chunk.records.append(try step("onewindow.case.assigned.v1", [
                "assignee": .string(assignee), "by": .string("office"),
                "dueAt": .string(RFC3339.format(start.addingTimeInterval(Double(position) * 10 + 5 * 86_400))),
            ]))
            chunk.records.append(try step("onewindow.case.resolved.v1", ["by": .string(assignee), "outcome": .string("done")]))
            chunk.records.append(try step("onewindow.case.closed.v1", ["by": .string("office")]))
        }
        // Departures.
        for person in people where person.index % 25 < 2 {
            chunk.records.append(try record("onewindow.resident.departed.v1", .person, stream: person.id, actor: "public-security",
                                            region: person.township, data: .object([
                "identity": person.identity, "departedOn": .string(day(5)),
                "destinationRegion": .string(Self.origins[person.index % Self.origins.count]),
            ]), key: person.key))
        }
        return chunk
    }

    /// The event time of the next event: ten seconds per position from 2026-01-01.
    private var now: Date { start.addingTimeInterval(Double(position) * 10) }

    /// A calendar day `offset` days after the current event time.
    private func day(_ offset: Int) -> String { RFC3339.day(now.addingTimeInterval(Double(offset) * 86_400)) }

    private mutating func record(_ type: String, _ topic: CanonicalTopic, stream: String, actor: String,
                                 source: String? = nil, region: String?, data: JSONValue, key: SymmetricKey?) throws -> KafkaOutgoingMessage {
        position += 1
        let version = (versions[stream] ?? 0) + 1
        versions[stream] = version
        let sealed = try key.map { try PersonalFields.protectedJSON(data, with: $0) } ?? data.encoded()
        var metadata: [String: JSONValue] = ["datacontenttype": .string("application/json")]
        if topic == .person { metadata["personid"] = .string(stream) }
        let event = RecordedEvent(
            position: position, stream: stream, streamVersion: version, id: "\(label)-\(position)",
            source: source ?? "/\(actor)/bench", type: type, time: now, recordedAt: now, actor: actor, region: region,
            data: Data(sealed), metadata: Data(JSONValue.object(metadata).encoded()))
        return CloudEventRecord.make(OutboxMessage(topic: "onewindow.\(topic.rawValue)", key: stream, event: event), naming: naming)
    }
}
