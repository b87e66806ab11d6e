/// A resident changed address inside the city.
public struct ResidentMoved: EventPayload {
    public var identity: Identity
    public var residence: Residence
    public var movedOn: CalendarDate

    public init(identity: Identity, residence: Residence, movedOn: CalendarDate) {
        (self.identity, self.residence, self.movedOn) = (identity, residence, movedOn)
    }

    static let eventType = EventType.residentMoved
    public var event: DepartmentEvent { .residentMoved(self) }

    static func read(_ r: inout ObjectReader) -> ResidentMoved? {
        let identity = r.required("identity", .identity)
        let residence = r.required("residence", .object(Residence.self))
        let moved = r.required("movedOn", .date)
        guard let identity, let residence, let moved else { return nil }
        return ResidentMoved(identity: identity, residence: residence, movedOn: moved)
    }

    var jsonMembers: [String: JSONValue] {
        ["identity": identity.json, "residence": residence.json, "movedOn": jsonString(movedOn)]
    }
}

extension ResidentMoved: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            try w.member("identity", identity)
            w.member("movedOn", movedOn.description)
            try w.member("residence", residence)
        }
    }
}
