import Foundation
import Domain

/// Random case events of every type: optional members present or not, every kind of actor, texts at
/// their length limits and with characters JSON must escape, instants with arbitrary sub-second bits.
struct RandomCaseEvents {
    var rng: SplitMix64

    static let organizations: [OrganizationID] = ["education", "human-resources", "shishan-community", "legal-aid-ngo", "a", "x-1-y"]
    static let texts = ["x", "no school place", "已联系学校，等待回复", "line\nbreak \"quoted\" \\ and\ttab \u{01}", "👩‍👧 family"]
    /// Strings the corruption may put anywhere: words that are right in one case field and wrong in another.
    static let trickyStrings = Corruption.trickyStrings + [
        "office", "committee", "Office", "education", "normal", "urgent", "major-matter", "deadline-missed-twice",
        "0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11", "0B7F3C8E-5A7E-4C43-9D8E-0E1F7F6B2C11", "0b7f3c8e5a7e4c439d8e0e1f7f6b2c11",
        "2026-03-04T01:30:00Z", "2026-03-04", "411523000000", String(repeating: "n", count: 65), String(repeating: "长", count: 501),
    ]

    mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &rng)! }
    mutating func coin() -> Bool { Bool.random(using: &rng) }

    mutating func uuid() -> UUID {
        let hex = Array((0..<2).map { _ in
            let s = String(rng.next(), radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined())
        let parts = [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }
        return UUID(uuidString: parts.joined(separator: "-"))!
    }

    /// Any instant of 2023-2029, to the last bit of the `Double`.
    mutating func instant() -> Date { Date(timeIntervalSinceReferenceDate: Double.random(in: 700_000_000...900_000_000, using: &rng)) }

    mutating func actor() -> CaseActor {
        switch Int.random(in: 0...2, using: &rng) {
        case 0: .office
        case 1: .committee
        default: .organization(pick(Self.organizations))
        }
    }

    mutating func text(limit: Int) -> String { coin() ? pick(Self.texts) : String(repeating: pick(["长", "x", "é"]), count: limit) }

    mutating func opened(_ caseID: CaseID) -> CaseOpened {
        CaseOpened(caseID: caseID, kind: pick(["school-enrollment", "wage-arrears", "certificate-request", "a1"]),
                   personID: coin() ? PersonID(uuid()) : nil, priority: pick(CasePriority.allCases), due: instant(),
                   otherRegion: coin() ? try! RegionCode(pick(["411523000000", "320505001001", "110000000000"])) : nil, at: instant())
    }

    mutating func event(_ type: CaseEventType, of caseID: CaseID) -> CaseEvent {
        let at = instant()
        switch type {
        case .opened: return .opened(opened(caseID))
        case .assigned: return .assigned(to: pick(Self.organizations), by: actor(), due: instant(), at: at)
        case .referred: return .referred(to: pick(Self.organizations), by: actor(), due: instant(), at: at)
        case .accepted: return .accepted(by: pick(Self.organizations), at: at)
        case .declined: return .declined(by: pick(Self.organizations), reason: text(limit: 500), at: at)
        case .noted: return .noted(noteID: pick(["n-1", "7", "笔记-1", String(repeating: "n", count: 64)]), by: actor(), text: text(limit: 4000), at: at)
        case .escalated: return .escalated(reason: pick(EscalationReason.allCases), by: actor(), at: at)
        case .resolved: return .resolved(by: actor(), outcome: text(limit: 500), at: at)
        case .reopened: return .reopened(by: actor(), reason: text(limit: 500), at: at)
        case .closed: return .closed(by: actor(), at: at)
        }
    }

    /// A random event of a random type with its case id.
    mutating func next() -> (caseID: CaseID, event: CaseEvent) {
        let caseID = CaseID(uuid())
        return (caseID, event(pick(CaseEventType.allCases), of: caseID))
    }

    /// The CloudEvent OneWindow would emit for it (the time is the codec's business only through `at`).
    static func envelope(type: String, data: JSONValue) -> JSONValue {
        .object(["specversion": "1.0", "id": "c1a8e0f2-3b4d-4e5f-8a6b-7c8d9e0f1a01", "source": "/onewindow/workflow", "type": .string(type),
                 "time": "2026-03-01T01:30:00Z", "datacontenttype": "application/json", "data": data])
    }
}
