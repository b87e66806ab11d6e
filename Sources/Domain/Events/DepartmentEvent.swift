/// A department event as a Swift value: one case per `EventType`.
public enum DepartmentEvent: Hashable, Sendable {
    case residentRegistered(ResidentRegistered)
    case residentMoved(ResidentMoved)
    case residentDeparted(ResidentDeparted)
    case housingUnitRegistered(HousingUnitRegistered)
    case certificateChecked(CertificateChecked)
    case certificateIssued(CertificateIssued)
    case permitApplied(PermitApplied)
    case permitIssued(PermitIssued)
    case permitRejected(PermitRejected)
    case serviceRequested(ServiceRequested)
    case serviceDelivered(ServiceDelivered)

    var payload: any EventPayload {
        switch self {
        case .residentRegistered(let p): p
        case .residentMoved(let p): p
        case .residentDeparted(let p): p
        case .housingUnitRegistered(let p): p
        case .certificateChecked(let p): p
        case .certificateIssued(let p): p
        case .permitApplied(let p): p
        case .permitIssued(let p): p
        case .permitRejected(let p): p
        case .serviceRequested(let p): p
        case .serviceDelivered(let p): p
        }
    }

    /// The CloudEvents type of this event. (A switch, not `payload`'s type: `payload` boxes a
    /// copy of the event in an existential, and the intake asks for the type several times.)
    public var type: EventType {
        switch self {
        case .residentRegistered: .residentRegistered
        case .residentMoved: .residentMoved
        case .residentDeparted: .residentDeparted
        case .housingUnitRegistered: .housingUnitRegistered
        case .certificateChecked: .certificateChecked
        case .certificateIssued: .certificateIssued
        case .permitApplied: .permitApplied
        case .permitIssued: .permitIssued
        case .permitRejected: .permitRejected
        case .serviceRequested: .serviceRequested
        case .serviceDelivered: .serviceDelivered
        }
    }

    /// The person the event is about (nil for housing units); the intake resolves it to a `PersonID`.
    public var identity: Identity? {
        switch self {
        case .residentRegistered(let p): p.identity
        case .residentMoved(let p): p.identity
        case .residentDeparted(let p): p.identity
        case .housingUnitRegistered: nil
        case .certificateChecked(let p): p.identity
        case .certificateIssued(let p): p.identity
        case .permitApplied(let p): p.identity
        case .permitIssued(let p): p.identity
        case .permitRejected(let p): p.identity
        case .serviceRequested(let p): p.identity
        case .serviceDelivered(let p): p.identity
        }
    }

    /// The other people the event names by identity, whose personal strings in it are theirs:
    /// household members of a registration, the beneficiary of a service request. The intake
    /// seals those strings under each one's own key, so that erasing them erases them here too.
    public var otherPeople: [Identity] {
        switch self {
        case .residentRegistered(let p): p.household?.compactMap(\.identity) ?? []
        case .serviceRequested(let p): if case .identity(let identity)? = p.beneficiary { [identity] } else { [] }
        default: []
        }
    }

    /// The `data` object as JSON.
    public var data: JSONValue { payload.json }

    /// The `data` object as canonical JSON (the bytes of `data.encoded()`), written straight
    /// from the payload, its personal strings through `personal` when given.
    package func canonicalData(personal: (any PersonalTextWriter)? = nil) throws -> [UInt8] {
        var writer = CanonicalJSON(capacity: 512, personal: personal)
        // Each case called directly: through `payload`, every event was copied into a box first.
        switch self {
        case .residentRegistered(let p): try p.writeCanonical(&writer)
        case .residentMoved(let p): try p.writeCanonical(&writer)
        case .residentDeparted(let p): try p.writeCanonical(&writer)
        case .housingUnitRegistered(let p): try p.writeCanonical(&writer)
        case .certificateChecked(let p): try p.writeCanonical(&writer)
        case .certificateIssued(let p): try p.writeCanonical(&writer)
        case .permitApplied(let p): try p.writeCanonical(&writer)
        case .permitIssued(let p): try p.writeCanonical(&writer)
        case .permitRejected(let p): try p.writeCanonical(&writer)
        case .serviceRequested(let p): try p.writeCanonical(&writer)
        case .serviceDelivered(let p): try p.writeCanonical(&writer)
        }
        return writer.bytes
    }
}
