/// A residence permit was issued (or renewed) for a validity period.
public struct PermitIssued: EventPayload {
    public var identity: Identity
    public var applicationID: String?
    public var permitNumber: String
    public var validFrom: CalendarDate
    public var validUntil: CalendarDate

    public init(identity: Identity, applicationID: String? = nil, permitNumber: String, validFrom: CalendarDate, validUntil: CalendarDate) {
        (self.identity, self.applicationID, self.permitNumber, self.validFrom, self.validUntil) = (identity, applicationID, permitNumber, validFrom, validUntil)
    }

    static let eventType = EventType.permitIssued
    public var event: DepartmentEvent { .permitIssued(self) }

    static func read(_ r: inout ObjectReader) -> PermitIssued? {
        let identity = r.required("identity", .identity)
        let application = r.optional("applicationId", .recordID)
        let number = r.required("permitNumber", .recordID)
        let from = r.required("validFrom", .date)
        let until = r.required("validUntil", .date)
        guard let identity, let number, let from, let until else { return nil }
        return PermitIssued(identity: identity, applicationID: application, permitNumber: number, validFrom: from, validUntil: until)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["identity": identity.json, "permitNumber": .string(permitNumber),
                                      "validFrom": jsonString(validFrom), "validUntil": jsonString(validUntil)]
        m["applicationId"] = applicationID.map(JSONValue.string)
        return m
    }
}

extension PermitIssued: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("applicationId", applicationID)
            try w.member("identity", identity)
            w.member("permitNumber", permitNumber)
            w.member("validFrom", validFrom.description)
            w.member("validUntil", validUntil.description)
        }
    }
}
