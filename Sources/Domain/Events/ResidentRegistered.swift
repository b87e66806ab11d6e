/// Employer and sector of a registered resident.
public struct Employment: Hashable, Sendable, JSONObjectCodable {
    public var employer: String
    public var sector: String

    public init(employer: String, sector: String) {
        self.employer = employer
        self.sector = sector
    }

    static let objectName = "employment"
    static let employerRule = FieldRule.text(1...200, "an employer name")
    static let sectorRule = FieldRule.text(1...100, "a sector")

    static func read(_ r: inout ObjectReader) -> Employment? {
        let employer = r.required("employer", employerRule)
        let sector = r.required("sector", sectorRule)
        guard let employer, let sector else { return nil }
        return Employment(employer: employer, sector: sector)
    }

    var jsonMembers: [String: JSONValue] { ["employer": .string(employer), "sector": .string(sector)] }
}

/// Arrival registration: who arrived, from where, where they live now, with whom.
public struct ResidentRegistered: EventPayload {
    public var identity: Identity
    public var name: String
    public var sex: Sex
    public var birthDate: CalendarDate
    public var phone: String?
    public var originRegion: RegionCode
    public var residence: Residence
    public var arrivedOn: CalendarDate
    public var household: [HouseholdMember]?
    public var employment: Employment?

    public init(identity: Identity, name: String, sex: Sex, birthDate: CalendarDate, phone: String? = nil, originRegion: RegionCode,
                residence: Residence, arrivedOn: CalendarDate, household: [HouseholdMember]? = nil, employment: Employment? = nil) {
        (self.identity, self.name, self.sex, self.birthDate, self.phone) = (identity, name, sex, birthDate, phone)
        (self.originRegion, self.residence, self.arrivedOn, self.household, self.employment) = (originRegion, residence, arrivedOn, household, employment)
    }

    static let eventType = EventType.residentRegistered
    public var event: DepartmentEvent { .residentRegistered(self) }

    static func read(_ r: inout ObjectReader) -> ResidentRegistered? {
        let identity = r.required("identity", .identity)
        let name = r.required("name", .personName)
        let sex = r.required("sex", .oneOf(Sex.self))
        let birth = r.required("birthDate", .date)
        let phone = r.optional("phone", .phone)
        let origin = r.required("originRegion", .region)
        let residence = r.required("residence", .object(Residence.self))
        let arrived = r.required("arrivedOn", .date)
        let household = r.optional("household", .array(of: .object(HouseholdMember.self), maxItems: 20))
        let employment = r.optional("employment", .object(Employment.self))
        BirthDateAgreement.check(identity: identity, birthDate: birth, in: &r)
        guard let identity, let name, let sex, let birth, let origin, let residence, let arrived else { return nil }
        return ResidentRegistered(identity: identity, name: name, sex: sex, birthDate: birth, phone: phone, originRegion: origin,
                                  residence: residence, arrivedOn: arrived, household: household, employment: employment)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "identity": identity.json, "name": .string(name), "sex": .string(sex.rawValue), "birthDate": jsonString(birthDate),
            "originRegion": jsonString(originRegion), "residence": residence.json, "arrivedOn": jsonString(arrivedOn),
        ]
        m["phone"] = phone.map(JSONValue.string)
        m["household"] = household.map { .array($0.map(\.json)) }
        m["employment"] = employment?.json
        return m
    }
}

extension Employment: CanonicalJSONWritable {
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        w.object { w in
            w.member("employer", employer)
            w.member("sector", sector)
        }
    }
}

extension ResidentRegistered: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("arrivedOn", arrivedOn.description)
            w.member("birthDate", birthDate.description)
            try w.member("employment", employment)
            try w.member("household", household)
            try w.member("identity", identity)
            try w.member("name", personal: name)
            w.member("originRegion", originRegion.description)
            try w.member("phone", personal: phone)
            try w.member("residence", residence)
            w.member("sex", sex.rawValue)
        }
    }
}
