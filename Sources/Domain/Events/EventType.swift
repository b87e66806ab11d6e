/// Every department event type OneWindow accepts. This is the one table of type strings:
/// each case's raw value is the CloudEvents `type`, and `payloadType` names its Swift type.
public enum EventType: String, CaseIterable, Sendable {
    case residentRegistered = "onewindow.resident.registered.v1"
    case residentMoved = "onewindow.resident.moved.v1"
    case residentDeparted = "onewindow.resident.departed.v1"
    case housingUnitRegistered = "onewindow.housing.unit-registered.v1"
    case certificateChecked = "onewindow.certificate.checked.v1"
    case certificateIssued = "onewindow.certificate.issued.v1"
    case permitApplied = "onewindow.permit.applied.v1"
    case permitIssued = "onewindow.permit.issued.v1"
    case permitRejected = "onewindow.permit.rejected.v1"
    case serviceRequested = "onewindow.service.requested.v1"
    case serviceDelivered = "onewindow.service.delivered.v1"

    var payloadType: any EventPayload.Type {
        switch self {
        case .residentRegistered: ResidentRegistered.self
        case .residentMoved: ResidentMoved.self
        case .residentDeparted: ResidentDeparted.self
        case .housingUnitRegistered: HousingUnitRegistered.self
        case .certificateChecked: CertificateChecked.self
        case .certificateIssued: CertificateIssued.self
        case .permitApplied: PermitApplied.self
        case .permitIssued: PermitIssued.self
        case .permitRejected: PermitRejected.self
        case .serviceRequested: ServiceRequested.self
        case .serviceDelivered: ServiceDelivered.self
        }
    }
}
