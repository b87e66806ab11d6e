import Domain
import Foundation

/// Every known organization by id, and the one rule the intake asks of it: may this actor
/// publish this event type? Built once at start from the organizations file.
public struct OrganizationDirectory: Sendable {
    public let organizations: [OrganizationID: Organization]

    public init(_ organizations: [Organization]) {
        var byID: [OrganizationID: Organization] = [:]
        for organization in organizations { byID[organization.id] = organization }
        self.organizations = byID
    }

    /// Validates the file: every id, kind, region and event type must be known and well formed,
    /// and no id may repeat. The error names the entry and the field.
    public init(file: OrganizationsFile) throws(OrganizationsFileError) {
        var seen = Set<OrganizationID>()
        var list: [Organization] = []
        for (index, entry) in file.organizations.enumerated() {
            let at = "organizations[\(index)]"
            guard let id = try? OrganizationID(entry.id) else { throw .init(at: at + ".id", reason: "is not an organization id (lowercase letters, digits, single hyphens)") }
            guard seen.insert(id).inserted else { throw .init(at: at + ".id", reason: "repeats \(id)") }
            guard let kind = OrganizationKind(rawValue: entry.kind) else {
                throw .init(at: at + ".kind", reason: "must be one of \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var region: RegionCode?
            if let text = entry.region {
                guard let code = try? RegionCode(text.padding(toLength: 12, withPad: "0", startingAt: 0)), text.count <= 12 else {
                    throw .init(at: at + ".region", reason: "is not a region code (2-12 digits)")
                }
                region = code
            }
            var types = Set<EventType>()
            for name in entry.publishes ?? [] {
                guard let type = EventType(rawValue: name) else { throw .init(at: at + ".publishes", reason: "names an unknown event type \(name)") }
                types.insert(type)
            }
            list.append(Organization(id: id, name: entry.name, kind: kind, publishes: types, region: region))
        }
        self.init(list)
    }

    public subscript(id: OrganizationID) -> Organization? { organizations[id] }

    /// Nil when `actor` may publish `type`; otherwise the problem, naming `/actor` or `/type`.
    public func refusal(actor: OrganizationID, type: EventType) -> ValidationError? {
        guard let organization = organizations[actor] else {
            return ValidationError(field: "/actor", reason: "\(actor) is not an organization known to OneWindow")
        }
        guard organization.publishes.contains(type) else {
            return ValidationError(field: "/type", reason: "\(actor) may not publish \(type.rawValue)")
        }
        return nil
    }
}

/// The organizations file is malformed: which entry and field, and why.
public struct OrganizationsFileError: Error, Sendable, CustomStringConvertible {
    public let at: String
    public let reason: String

    public var description: String { "organizations file: \(at) \(reason)" }
}
