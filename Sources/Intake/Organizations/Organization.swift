import Domain

/// What an organization is, as the organizations file says.
public enum OrganizationKind: String, Sendable, Hashable, CaseIterable, Codable {
    case department, office, community, committee
}

/// One entry of the organizations file: who the organization is and which event types it may
/// publish through either door.
public struct Organization: Sendable, Hashable {
    public var id: OrganizationID
    public var name: String
    public var kind: OrganizationKind
    /// The event types this organization may publish (empty: it publishes nothing).
    public var publishes: Set<EventType>
    /// The region it serves (a region code at any level), when it has one.
    public var region: RegionCode?

    public init(id: OrganizationID, name: String, kind: OrganizationKind, publishes: Set<EventType>, region: RegionCode? = nil) {
        (self.id, self.name, self.kind, self.publishes, self.region) = (id, name, kind, publishes, region)
    }
}

/// The organizations file as written (YAML or JSON), before validation:
///
/// ```yaml
/// organizations:
///   - id: public-security
///     name: Public Security Bureau
///     kind: department          # department | office | community | committee
///     region: "320505"          # optional, a region code prefix (2-12 digits)
///     publishes:
///       - onewindow.resident.registered.v1
/// ```
public struct OrganizationsFile: Sendable, Hashable, Codable {
    /// One organization as written in the file.
    public struct Entry: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var kind: String
        public var region: String?
        public var publishes: [String]?

        public init(id: String, name: String, kind: String, region: String? = nil, publishes: [String]? = nil) {
            (self.id, self.name, self.kind, self.region, self.publishes) = (id, name, kind, region, publishes)
        }
    }

    public var organizations: [Entry]

    public init(organizations: [Entry]) { self.organizations = organizations }
}
