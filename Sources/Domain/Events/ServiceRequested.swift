/// A resident asked for a basic public service, possibly for a household member.
public struct ServiceRequested: EventPayload {
    public var identity: Identity
    public var requestID: String
    public var category: ServiceCategory
    public var service: String
    public var beneficiary: Beneficiary?
    /// Free-form notes for the serving organization (string values only).
    public var details: [String: String]?

    public init(identity: Identity, requestID: String, category: ServiceCategory, service: String,
                beneficiary: Beneficiary? = nil, details: [String: String]? = nil) {
        (self.identity, self.requestID, self.category, self.service, self.beneficiary, self.details) = (identity, requestID, category, service, beneficiary, details)
    }

    static let eventType = EventType.serviceRequested
    public var event: DepartmentEvent { .serviceRequested(self) }

    /// `details`: an open object (any key, at most 20) whose values are strings of at most 500 characters.
    static let detailsRule = FieldRule<[String: String]> { value, at, errors in
        guard value.kind == .object else {
            errors.append(ValidationError(field: at.pointer, reason: "must be an object of text notes, got \(value.kindName)"))
            return nil
        }
        var ok = value.memberCount <= 20
        if !ok { errors.append(ValidationError(field: at.pointer, reason: "may hold at most 20 notes")) }
        var out: [String: String] = [:]
        value.forEachMember { key, note in
            if let text = FieldRule<String>.text(0...500, "a note").read(note, FieldPath(at.pointer, key: key), &errors) { out[key] = text } else { ok = false }
        }
        return ok ? out : nil
    }

    static func read(_ r: inout ObjectReader) -> ServiceRequested? {
        let identity = r.required("identity", .identity)
        let request = r.required("requestId", .recordID)
        let category = r.required("category", .oneOf(ServiceCategory.self))
        let service = r.required("service", .code)
        let beneficiary = r.optional("beneficiary", .beneficiary)
        let details = r.optional("details", detailsRule)
        guard let identity, let request, let category, let service else { return nil }
        return ServiceRequested(identity: identity, requestID: request, category: category, service: service, beneficiary: beneficiary, details: details)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["identity": identity.json, "requestId": .string(requestID),
                                      "category": .string(category.rawValue), "service": .string(service)]
        m["beneficiary"] = beneficiary?.json
        m["details"] = details.map { .object($0.mapValues(JSONValue.string)) }
        return m
    }
}

extension ServiceRequested: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            try w.member("beneficiary", beneficiary)
            w.member("category", category.rawValue)
            w.member("details", strings: details)
            try w.member("identity", identity)
            w.member("requestId", requestID)
            w.member("service", service)
        }
    }
}
