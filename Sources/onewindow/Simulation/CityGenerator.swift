import Crypto
import Domain
import Foundation
import Relay

/// One event of the synthetic city, as its sender states it: a department's fact about a person
/// (by identity) or a housing unit, or a step of a case (OneWindow's own, on the case topic).
/// Personal fields are in plain text; `stream` is the subject's id in the bench's own numbering
/// (the intake assigns real person ids).
struct CityEvent {
    let type: String
    let topic: CanonicalTopic
    /// The bench's personId, the housing unit's id or the case's id.
    let stream: String
    /// The person's index in the city (nil for housing units and cases).
    let person: Int?
    let actor: String
    /// The sending system (`/orgs/<actor>/…`), or OneWindow's own for cases.
    let source: String
    /// Where it happened: a 12-digit division code.
    let region: String
    let data: JSONValue
    /// Unique within the city's label.
    let id: String
    let time: Date
}

/// A synthetic floating-population city, deterministic for its label: the same label and
/// people give the same events with the same ids, so sending them twice only repeats them
/// (the intake answers duplicates). `bench rebuild` and `bench latency` turn its events into
/// canonical records (``SyntheticCity``); `onewindow simulate` and `dev --demo` send them to
/// the doors as department systems would (``DepartmentTraffic``).
///
/// People come in chunks; within a chunk every person's events are in their own order
/// (housing units, registrations, then follow-ups, case steps and departures), people
/// interleaved. Per 100 people, on average: 25 housing units, 100 registrations (30 with a
/// child, a third of them with the child's resident id, and 30 with a spouse), 20 moves, 30
/// certificate checks and 10 issues, 20 permit applications (15 issued, 5 rejected), 25 service
/// requests and 15 deliveries (school enrollment, job training, wage arrears, prenatal care,
/// legal aid), 10 cases of four steps each (opened, assigned, resolved, closed), 8 departures:
/// about 3.1 events per person. Four in five people carry a resident id (born in their origin
/// region, check character and birth date right), the others a passport.
struct CityGenerator {
    /// Distinguishes the events, housing units and bench person ids of one city from another's
    /// (identity numbers depend on the person's number only).
    let label: String
    /// The time of the first event, and how far each next one is later.
    let start: Date
    let secondsPerEvent: Double
    /// How many events the city has made.
    private(set) var made: Int = 0

    /// Eight hex digits of the label's hash: the first group of every id of this city.
    private let idPrefix: String

    init(label: String, start: Date = Date(timeIntervalSince1970: 1_767_225_600), secondsPerEvent: Double = 10) {
        (self.label, self.start, self.secondsPerEvent) = (label, start, secondsPerEvent)
        idPrefix = SHA256.hash(data: Data(label.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Events per person the generator makes, case steps included, on average (for spreading a
    /// city over a span of time): 3,747 for 1,200 people.
    static let eventsPerPerson = 3.12

    static let townships = ["320505001", "320505002", "320506003", "320507004", "320508005", "320509006"]
    static let origins = ["411523000000", "411524000000", "510100000000", "430100000000", "341200000000", "362100000000"]
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"]
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"]

    /// The bench's personId of the `index`th person of this city.
    func personID(_ index: Int) -> String {
        String(format: "%@-0000-4000-8000-%012x", idPrefix, index)
    }

    struct Person {
        var index: Int
        var id: String
        var random: SplitMix64
        var township: String
        var origin: String
        var identity: JSONValue
        var birthDate: String
        var name: String
    }

    /// The `index`th person: where they live and come from, their identity and name.
    func person(_ index: Int) -> Person {
        var random = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9 &+ 17)
        let township = Self.townships[Int(random.next() % UInt64(Self.townships.count))]
        let origin = Self.origins[index % Self.origins.count]
        // Born 1970–2004; the sequence's last digit is odd for men, even for women.
        let (year, month, day, sequence) = ResidentIDs.birth(serial: index / 2, fromYear: 1970, years: 35, sequenceParity: index % 2)
        let birth = String(format: "%04d-%02d-%02d", year, month, day)
        let identity: JSONValue = index % 5 == 4
            ? .object(["type": .string("passport"), "number": .string(String(format: "E%08d", index))])
            : .object(["type": .string("resident-id"),
                       "number": .string(ResidentIDs.make(region: origin, year: year, month: month, day: day, sequence: sequence))])
        let name = Self.surnames[index % Self.surnames.count] + Self.givenNames[(index / Self.surnames.count) % Self.givenNames.count]
        return Person(index: index, id: personID(index), random: random, township: township, origin: origin,
                      identity: identity, birthDate: birth, name: name)
    }

    /// The events of people `range` (a person's events never cross chunks).
    mutating func chunk(people range: Range<Int>) -> [CityEvent] {
        var events: [CityEvent] = []
        events.reserveCapacity(range.count * 4)
        var people = range.map(person)

        // Housing units: one per four people.
        for person in people where person.index % 4 == 0 {
            let unit = "HU-\(label)-\(person.index / 4)"
            events.append(make("onewindow.housing.unit-registered.v1", .housing, stream: unit, person: nil, actor: "housing",
                               region: person.township + "001", data: .object([
                "housingUnitId": .string(unit), "region": .string(person.township + "001"),
                "gridId": .string("G-\(person.index % 97)"), "address": .string("Building \(person.index / 4), Changjiang Road"),
                "capacity": .number(Double(2 + person.index % 5)),
            ])))
        }
        // Registrations.
        for i in people.indices {
            var person = people[i]
            var household: [JSONValue] = []
            if person.random.next() % 10 < 3 {
                household.append(.object([
                    "relation": .string("spouse"), "name": .string(Self.surnames[(person.index + 5) % Self.surnames.count] + "芳"),
                    "birthDate": .string("1991-05-02"),
                    "identity": .object(["type": .string("passport"), "number": .string(String(format: "S%08d", person.index))]),
                ]))
            }
            if person.random.next() % 10 < 3 {
                // Born 2015–2019; only every third person's child is a candidate (below).
                let (year, month, day, sequence) = ResidentIDs.birth(serial: person.index / 3, fromYear: 2015, years: 5)
                var child: [String: JSONValue] = [
                    "relation": .string("child"), "name": .string(String(person.name.prefix(1)) + "小" + Self.givenNames[person.index % Self.givenNames.count]),
                    "birthDate": .string(String(format: "%04d-%02d-%02d", year, month, day)),
                ]
                if person.index % 3 == 0 {
                    child["identity"] = .object(["type": .string("resident-id"), "number": .string(
                        ResidentIDs.make(region: String(person.township.prefix(6)) + "000000", year: year, month: month, day: day, sequence: sequence))])
                }
                household.append(.object(child))
            }
            var data: [String: JSONValue] = [
                "identity": person.identity, "name": .string(person.name), "sex": .string(person.index % 2 == 0 ? "female" : "male"),
                "birthDate": .string(person.birthDate),
                "phone": .string(String(format: "138%08d", person.index % 100_000_000)),
                "originRegion": .string(person.origin),
                "residence": .object([
                    "region": .string(person.township + String(format: "%03d", 1 + person.index % 3)),
                    "gridId": .string("G-\(person.index % 97)"), "housingUnitId": .string("HU-\(label)-\(person.index / 4)"),
                ]),
                "arrivedOn": .string(day(0)),
            ]
            if !household.isEmpty { data["household"] = .array(household) }
            events.append(personal("onewindow.resident.registered.v1", person, actor: "public-security", data))
            people[i] = person
        }
        // Follow-ups: moves, certificates, permits, services.
        for i in people.indices {
            var person = people[i]
            let roll = Int(person.random.next() % 100)
            if roll < 20 {
                let township = Self.townships[(person.index + 1) % Self.townships.count]
                events.append(personal("onewindow.resident.moved.v1", person, actor: "public-security", [
                    "residence": .object(["region": .string(township + "002"), "gridId": .string("G-\(person.index % 89)"),
                                          "housingUnitId": .string("HU-\(label)-\((person.index / 4) ^ 1)")]),
                    "movedOn": .string(day(1)),
                ]))
            }
            if roll % 10 < 3 {
                events.append(personal("onewindow.certificate.checked.v1", person, actor: "health", [
                    "certificate": .string("marriage-childbearing"), "result": .string(roll % 10 == 0 ? "missing" : "valid"),
                    "checkedDuring": .string("prenatal-care"),
                ]))
                if roll % 10 == 0 {
                    events.append(personal("onewindow.certificate.issued.v1", person, actor: "health-411523", [
                        "certificate": .string("marriage-childbearing"), "validUntil": .string("2031-03-01"),
                    ]))
                }
            }
            if roll >= 80 {
                let application = "A-\(label)-\(person.index)"
                events.append(personal("onewindow.permit.applied.v1", person, actor: "public-security", [
                    "applicationId": .string(application), "appliedOn": .string(day(2)),
                ]))
                events.append(roll < 95
                    ? personal("onewindow.permit.issued.v1", person, actor: "public-security", [
                        "applicationId": .string(application), "permitNumber": .string("JZZ-\(label)-\(person.index)"),
                        "validFrom": .string(day(3)), "validUntil": .string("2027-12-31"),
                    ])
                    : personal("onewindow.permit.rejected.v1", person, actor: "public-security", [
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
                events.append(personal("onewindow.service.requested.v1", person, actor: pick.actor, [
                    "requestId": .string(request), "category": .string(pick.category), "service": .string(pick.service),
                ]))
                if person.random.next() % 10 < 6 {
                    events.append(personal("onewindow.service.delivered.v1", person, actor: pick.actor, [
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
            func step(_ type: String, _ members: [String: JSONValue]) -> CityEvent {
                var data = members
                data["caseId"] = .string(caseID)
                return make(type, .case, stream: caseID, person: nil, actor: "onewindow-office", source: "/onewindow/workflow",
                            region: person.township + "001", data: .object(data))
            }
            var opened: [String: JSONValue] = [
                "kind": .string(kind), "personId": .string(person.id), "priority": .string(person.index % 3 == 0 ? "high" : "normal"),
                "dueAt": .string(RFC3339.format(now.addingTimeInterval(86_400))), "by": .string("office"),
            ]
            if kind == "wage-arrears" { opened["otherRegion"] = .string(person.origin) }
            events.append(step("onewindow.case.opened.v1", opened))
            let assignee = assignees[person.index % assignees.count]
            events.append(step("onewindow.case.assigned.v1", [
                "assignee": .string(assignee), "by": .string("office"),
                "dueAt": .string(RFC3339.format(now.addingTimeInterval(5 * 86_400))),
            ]))
            events.append(step("onewindow.case.resolved.v1", ["by": .string(assignee), "outcome": .string("done")]))
            events.append(step("onewindow.case.closed.v1", ["by": .string("office")]))
        }
        // Departures.
        for person in people where person.index % 25 < 2 {
            events.append(personal("onewindow.resident.departed.v1", person, actor: "public-security", [
                "departedOn": .string(day(5)), "destinationRegion": .string(person.origin),
            ]))
        }
        return events
    }

    /// The time of the next event.
    private var now: Date { start.addingTimeInterval(Double(made) * secondsPerEvent) }

    /// A calendar day `offset` days after the next event's time.
    private func day(_ offset: Int) -> String { RFC3339.day(now.addingTimeInterval(Double(offset) * 86_400)) }

    /// A person's event, their identity added to `members`.
    private mutating func personal(_ type: String, _ person: Person, actor: String, _ members: [String: JSONValue]) -> CityEvent {
        var data = members
        data["identity"] = person.identity
        return make(type, .person, stream: person.id, person: person.index, actor: actor,
                    region: person.township + "001", data: .object(data))
    }

    private mutating func make(_ type: String, _ topic: CanonicalTopic, stream: String, person: Int?, actor: String,
                               source: String? = nil, region: String, data: JSONValue) -> CityEvent {
        let event = CityEvent(type: type, topic: topic, stream: stream, person: person, actor: actor,
                              source: source ?? "/orgs/\(actor)/simulated", region: region, data: data,
                              id: "\(label)-\(made + 1)", time: now)
        made += 1
        return event
    }
}

/// Resident ids for synthetic people, made by ``ResidentID/make(regionPrefix:birthDate:sequence:)``.
enum ResidentIDs {
    /// The birth date and sequence of the `serial`th person born in `years` years from
    /// `fromYear` (months of 28 days): a different pair for every serial below the span's
    /// days × 1,000 (× 500 with `sequenceParity`, which fixes the sequence's last digit's
    /// parity), so ids from one region never repeat. Consecutive serials are spread over the
    /// span (a step of 37 days, prime to its length) rather than born on consecutive days.
    static func birth(serial: Int, fromYear: Int, years: Int, sequenceParity: Int? = nil) -> (year: Int, month: Int, day: Int, sequence: Int) {
        let days = years * 12 * 28
        let dayIndex = serial % days * 37 % days
        let round = serial / days
        let sequence = sequenceParity.map { round % 500 * 2 + $0 } ?? round % 1_000
        return (fromYear + dayIndex / 336, 1 + dayIndex / 28 % 12, 1 + dayIndex % 28, sequence)
    }

    /// - Parameters:
    ///   - region: a division code; its first six digits are used.
    ///   - year, month, day: a real date from 1900 on; day at most 28 here.
    static func make(region: String, year: Int, month: Int, day: Int, sequence: Int) -> String {
        do {
            return try ResidentID.make(regionPrefix: String(region.prefix(6)),
                                       birthDate: CalendarDate(year: year, month: month, day: day), sequence: sequence % 1_000).text
        } catch {
            preconditionFailure("synthetic resident id from \(region.prefix(6)), \(year)-\(month)-\(day): \(error)")
        }
    }
}
