import Domain

/// Random valid department events as JSON (every type, optional members present or not).
struct RandomEvents {
    var rng: SplitMix64

    mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &rng)! }
    mutating func coin() -> Bool { Bool.random(using: &rng) }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

    mutating func date(_ years: ClosedRange<Int> = 1950...2030) -> CalendarDate {
        try! CalendarDate(year: int(years), month: int(1...12), day: int(1...28))
    }
    mutating func region() -> String {
        let parts = [pick(["11", "32", "41", "51", "65"]), pick(["01", "05", "15"]), pick(["02", "05", "23"]), pick(["001", "004", "120"]), pick(["001", "010", "207"])]
        let level = int(1...5)
        let digits = parts.prefix(level).joined()
        return digits + String(repeating: "0", count: 12 - digits.count)
    }
    mutating func residentID(born: CalendarDate) -> String {
        try! ResidentID.make(regionPrefix: pick(["411523", "320506", "510124", "110101"]), birthDate: born, sequence: int(0...999)).text
    }
    mutating func identity(born: CalendarDate? = nil) -> JSONValue {
        let kind = born == nil ? pick(["resident-id", "passport", "other"]) : "resident-id"
        let number = switch kind {
        case "resident-id": residentID(born: born ?? date())
        case "passport": pick(["E12345678", "G7654321", "PA00001"])
        default: pick(["HK-A1234567", "军官证 042", "x"])
        }
        return .object(["type": .string(kind), "number": .string(number)])
    }
    mutating func text(_ pool: [String]) -> JSONValue { .string(pick(pool)) }
    mutating func optional(_ m: inout [String: JSONValue], _ key: String, _ value: JSONValue) { if coin() { m[key] = value } }

    mutating func residence() -> JSONValue {
        var m: [String: JSONValue] = ["region": .string(region()), "gridId": text(["G-0107", "7", "网格-12"])]
        optional(&m, "housingUnitId", text(["HU-1", "320505-00042"]))
        optional(&m, "address", text(["长江路 88 号", "1 Main St"]))
        return .object(m)
    }

    mutating func data(_ type: EventType) -> JSONValue {
        let category = JSONValue.string(pick(["education", "employment", "social-security", "health", "legal-aid"]))
        var m: [String: JSONValue] = type == .housingUnitRegistered ? [:] : ["identity": identity()]
        switch type {
        case .residentRegistered:
            let born = date(1950...2010)
            m["identity"] = identity(born: born)
            m.merge(["name": text(["张伟", "Anna"]), "sex": text(["female", "male"]), "birthDate": .string(born.description),
                     "originRegion": .string(region()), "residence": residence(), "arrivedOn": .string(date().description)]) { $1 }
            optional(&m, "phone", text(["13800138000", "+8613800138000"]))
            if coin() {
                let childBorn = date(2010...2024)
                var child: [String: JSONValue] = ["relation": text(["child", "spouse", "parent", "other"]), "name": text(["小明"]), "birthDate": .string(childBorn.description)]
                optional(&child, "identity", identity(born: childBorn))
                m["household"] = .array([.object(child)])
            }
            optional(&m, "employment", .object(["employer": text(["苏州精密电子"]), "sector": text(["manufacturing"])]))
        case .residentMoved:
            m["residence"] = residence()
            m["movedOn"] = .string(date().description)
        case .residentDeparted:
            m["departedOn"] = .string(date().description)
            optional(&m, "destinationRegion", .string(region()))
        case .housingUnitRegistered:
            m = ["housingUnitId": text(["HU-9"]), "region": .string(region()), "gridId": text(["G-1"]), "address": text(["长江路 88 号"])]
            optional(&m, "capacity", .number(Double(int(1...12))))
        case .certificateChecked:
            m["certificate"] = text(["marriage-childbearing", "identity", "school-record"])
            m["result"] = text(["valid", "missing", "expired", "mismatch"])
            optional(&m, "checkedDuring", text(["prenatal-care", "school-enrollment"]))
            optional(&m, "validUntil", .string(date().description))
        case .certificateIssued:
            m["certificate"] = text(["employment-contract", "other"])
            optional(&m, "validUntil", .string(date().description))
        case .permitApplied:
            m["applicationId"] = text(["A-1", "2026/0042"])
            m["appliedOn"] = .string(date().description)
        case .permitIssued:
            optional(&m, "applicationId", text(["A-1"]))
            m["permitNumber"] = text(["JZZ-1"])
            m["validFrom"] = .string(date().description)
            m["validUntil"] = .string(date().description)
        case .permitRejected:
            m["applicationId"] = text(["A-2"])
            m["reason"] = text(["under-16", "resident-under-30-days", "locally-registered", "other"])
        case .serviceRequested:
            m.merge(["requestId": text(["R-1"]), "category": category, "service": text(["school-enrollment", "job-training"])]) { $1 }
            optional(&m, "beneficiary", coin() ? text(["小明"]) : identity())
            optional(&m, "details", .object(["grade": text(["1", ""])]))
        case .serviceDelivered:
            m.merge(["category": category, "service": text(["wage-arrears"]), "deliveredOn": .string(date().description),
                     "provider": text(["human-resources", "ngo-7"])]) { $1 }
            optional(&m, "requestId", text(["R-2"]))
        }
        return .object(m)
    }

    mutating func envelope() -> JSONValue {
        let type = pick(EventType.allCases)
        var m: [String: JSONValue] = [
            "specversion": "1.0", "id": text(["e-1", "7f0c1a52-5a7e-4c43-9d8e-0e1f7f6b2c11"]), "source": text(["/orgs/public-security/desk"]),
            "type": .string(type.rawValue), "time": text(["2026-03-01T09:30:00+08:00", "2026-03-01T01:30:00.123Z", "2024-02-29T23:59:59-05:30"]),
            "actor": text(["public-security", "health", "hometown-association-7"]), "region": .string(region()), "data": data(type),
        ]
        optional(&m, "datacontenttype", "application/json")
        optional(&m, "subject", "case-1")
        optional(&m, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        return .object(m)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
