/// A residence permit application was refused, with the eligibility condition that failed.
public struct PermitRejected: EventPayload {
    public var identity: Identity
    public var applicationID: String
    public var reason: PermitRejectionReason

    public init(identity: Identity, applicationID: String, reason: PermitRejectionReason) {
        (self.identity, self.applicationID, self.reason) = (identity, applicationID, reason)
    }

    static let eventType = EventType.permitRejected
    public var event: DepartmentEvent { .permitRejected(self) }

    static func read(_ r: inout ObjectReader) -> PermitRejected? {
        let identity = r.required("identity", .identity)
        let application = r.required("applicationId", .recordID)
        let reason = r.required("reason", .oneOf(PermitRejectionReason.self))
        guard let identity, let application, let reason else { return nil }
        return PermitRejected(identity: identity, applicationID: application, reason: reason)
    }

    var jsonMembers: [String: JSONValue] {
        ["identity": identity.json, "applicationId": .string(applicationID), "reason": .string(reason.rawValue)]
    }
}

extension PermitRejected: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("applicationId", applicationID)
            try w.member("identity", identity)
            w.member("reason", reason.rawValue)
        }
    }
}
