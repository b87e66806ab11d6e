/// A basic public service was delivered by an organization.
public struct ServiceDelivered: EventPayload {
    public var identity: Identity
    public var requestID: String?
    public var category: ServiceCategory
    public var service: String
    public var deliveredOn: CalendarDate
    public var provider: OrganizationID

    public init(identity: Identity, requestID: String? = nil, category: ServiceCategory, service: String, deliveredOn: CalendarDate, provider: OrganizationID) {
        (self.identity, self.requestID, self.category, self.service, self.deliveredOn, self.provider) = (identity, requestID, category, service, deliveredOn, provider)
    }

    static let eventType = EventType.serviceDelivered
    public var event: DepartmentEvent { .serviceDelivered(self) }

    static func read(_ r: inout ObjectReader) -> ServiceDelivered? {
        let identity = r.required("identity", .identity)
        let request = r.optional("requestId", .recordID)
        let category = r.required("category", .oneOf(ServiceCategory.self))
        let service = r.required("service", .code)
        let delivered = r.required("deliveredOn", .date)
        let provider = r.required("provider", .organization)
        guard let identity, let category, let service, let delivered, let provider else { return nil }
        return ServiceDelivered(identity: identity, requestID: request, category: category, service: service, deliveredOn: delivered, provider: provider)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["identity": identity.json, "category": .string(category.rawValue), "service": .string(service),
                                      "deliveredOn": jsonString(deliveredOn), "provider": jsonString(provider)]
        m["requestId"] = requestID.map(JSONValue.string)
        return m
    }
}

extension ServiceDelivered: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("category", category.rawValue)
            w.member("deliveredOn", deliveredOn.description)
            try w.member("identity", identity)
            w.member("provider", provider.description)
            w.member("requestId", requestID)
            w.member("service", service)
        }
    }
}
