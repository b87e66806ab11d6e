/// Where a person lives: region, grid (community cell), optionally the housing unit and address.
public struct Residence: Hashable, Sendable, JSONObjectCodable {
    public var region: RegionCode
    public var gridID: String
    public var housingUnitID: String?
    public var address: String?

    public init(region: RegionCode, gridID: String, housingUnitID: String? = nil, address: String? = nil) {
        self.region = region
        self.gridID = gridID
        self.housingUnitID = housingUnitID
        self.address = address
    }

    static let objectName = "residence"

    static func read(_ r: inout ObjectReader) -> Residence? {
        let region = r.required("region", .region)
        let grid = r.required("gridId", .recordID)
        let unit = r.optional("housingUnitId", .recordID)
        let address = r.optional("address", .address)
        guard let region, let grid else { return nil }
        return Residence(region: region, gridID: grid, housingUnitID: unit, address: address)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["region": .string(region.text), "gridId": .string(gridID)]
        m["housingUnitId"] = housingUnitID.map(JSONValue.string)
        m["address"] = address.map(JSONValue.string)
        return m
    }
}

extension Residence: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        w.object { w in
            w.member("address", address)
            w.member("gridId", gridID)
            w.member("housingUnitId", housingUnitID)
            w.member("region", region.text)
        }
    }
}
