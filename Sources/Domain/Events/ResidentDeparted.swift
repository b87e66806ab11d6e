/// A resident left the city (deregistered), possibly naming where to.
public struct ResidentDeparted: EventPayload {
    public var identity: Identity
    public var departedOn: CalendarDate
    public var destinationRegion: RegionCode?

    public init(identity: Identity, departedOn: CalendarDate, destinationRegion: RegionCode? = nil) {
        (self.identity, self.departedOn, self.destinationRegion) = (identity, departedOn, destinationRegion)
    }

    static let eventType = EventType.residentDeparted
    public var event: DepartmentEvent { .residentDeparted(self) }

    static func read(_ r: inout ObjectReader) -> ResidentDeparted? {
        let identity = r.required("identity", .identity)
        let departed = r.required("departedOn", .date)
        let destination = r.optional("destinationRegion", .region)
        guard let identity, let departed else { return nil }
        return ResidentDeparted(identity: identity, departedOn: departed, destinationRegion: destination)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["identity": identity.json, "departedOn": jsonString(departedOn)]
        m["destinationRegion"] = destinationRegion.map(jsonString)
        return m
    }
}

extension ResidentDeparted: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("departedOn", departedOn.description)
            w.member("destinationRegion", destinationRegion?.description)
            try w.member("identity", identity)
        }
    }
}
