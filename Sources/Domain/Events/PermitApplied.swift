/// A residence permit application was filed.
public struct PermitApplied: EventPayload {
    public var identity: Identity
    public var applicationID: String
    public var appliedOn: CalendarDate

    public init(identity: Identity, applicationID: String, appliedOn: CalendarDate) {
        (self.identity, self.applicationID, self.appliedOn) = (identity, applicationID, appliedOn)
    }

    static let eventType = EventType.permitApplied
    public var event: DepartmentEvent { .permitApplied(self) }

    static func read(_ r: inout ObjectReader) -> PermitApplied? {
        let identity = r.required("identity", .identity)
        let application = r.required("applicationId", .recordID)
        let applied = r.required("appliedOn", .date)
        guard let identity, let application, let applied else { return nil }
        return PermitApplied(identity: identity, applicationID: application, appliedOn: applied)
    }

    var jsonMembers: [String: JSONValue] {
        ["identity": identity.json, "applicationId": .string(applicationID), "appliedOn": jsonString(appliedOn)]
    }
}

extension PermitApplied: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("applicationId", applicationID)
            w.member("appliedOn", appliedOn.description)
            try w.member("identity", identity)
        }
    }
}
