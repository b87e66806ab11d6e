/// A family member registered with a resident (children drive school-enrollment cases).
public struct HouseholdMember: Hashable, Sendable, JSONObjectCodable {
    public var relation: HouseholdRelation
    public var name: String
    public var birthDate: CalendarDate
    public var identity: Identity?

    public init(relation: HouseholdRelation, name: String, birthDate: CalendarDate, identity: Identity? = nil) {
        self.relation = relation
        self.name = name
        self.birthDate = birthDate
        self.identity = identity
    }

    static let objectName = "household member"

    static func read(_ r: inout ObjectReader) -> HouseholdMember? {
        let relation = r.required("relation", .oneOf(HouseholdRelation.self))
        let name = r.required("name", .personName)
        let birth = r.required("birthDate", .date)
        let identity = r.optional("identity", .identity)
        BirthDateAgreement.check(identity: identity, birthDate: birth, in: &r)
        guard let relation, let name, let birth else { return nil }
        return HouseholdMember(relation: relation, name: name, birthDate: birth, identity: identity)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["relation": .string(relation.rawValue), "name": .string(name), "birthDate": .string(birthDate.description)]
        m["identity"] = identity?.json
        return m
    }
}

/// A stated birth date must agree with the one inside a resident-id (checked only when both are valid).
enum BirthDateAgreement {
    static func check(identity: Identity?, birthDate: CalendarDate?, in r: inout ObjectReader) {
        guard let id = identity?.residentID, let birthDate, id.birthDate != birthDate else { return }
        r.errors.append(ValidationError(field: JSONPointer.appending(r.pointer, "birthDate"),
                                        reason: "must agree with the birth date in the resident-id, which says \(id.birthDate)"))
    }
}

extension HouseholdMember: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer,
    /// as the member's own when the member has an identity (so that erasing the member erases
    /// them), else as the registrant's.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.personalStrings(of: identity) { w in
            try w.object { w in
                w.member("birthDate", birthDate.description)
                try w.member("identity", identity)
                try w.member("name", personal: name)
                w.member("relation", relation.rawValue)
            }
        }
    }
}
