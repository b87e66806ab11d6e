/// A rental housing unit registered under its unified number.
public struct HousingUnitRegistered: EventPayload {
    public var housingUnitID: String
    public var region: RegionCode
    public var gridID: String
    public var address: String
    public var capacity: Int?

    public init(housingUnitID: String, region: RegionCode, gridID: String, address: String, capacity: Int? = nil) {
        (self.housingUnitID, self.region, self.gridID, self.address, self.capacity) = (housingUnitID, region, gridID, address, capacity)
    }

    static let eventType = EventType.housingUnitRegistered
    public var event: DepartmentEvent { .housingUnitRegistered(self) }

    static func read(_ r: inout ObjectReader) -> HousingUnitRegistered? {
        let unit = r.required("housingUnitId", .recordID)
        let region = r.required("region", .region)
        let grid = r.required("gridId", .recordID)
        let address = r.required("address", .address)
        let capacity = r.optional("capacity", .integer(1...10_000))
        guard let unit, let region, let grid, let address else { return nil }
        return HousingUnitRegistered(housingUnitID: unit, region: region, gridID: grid, address: address, capacity: capacity)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["housingUnitId": .string(housingUnitID), "region": jsonString(region),
                                      "gridId": .string(gridID), "address": .string(address)]
        m["capacity"] = capacity.map { .number(Double($0)) }
        return m
    }
}

extension HousingUnitRegistered: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        w.object { w in
            w.member("address", address)
            w.member("capacity", capacity)
            w.member("gridId", gridID)
            w.member("housingUnitId", housingUnitID)
            w.member("region", region.description)
        }
    }
}
