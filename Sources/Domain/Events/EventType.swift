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

    /// Reads `data` as this type's payload. (A switch: read through ``payloadType``, every
    /// event was boxed in an existential and then copied out of it.)
    func readEvent(_ reader: inout ObjectReader) -> DepartmentEvent? {
        switch self {
        case .residentRegistered: ResidentRegistered.read(&reader).map(DepartmentEvent.residentRegistered)
        case .residentMoved: ResidentMoved.read(&reader).map(DepartmentEvent.residentMoved)
        case .residentDeparted: ResidentDeparted.read(&reader).map(DepartmentEvent.residentDeparted)
        case .housingUnitRegistered: HousingUnitRegistered.read(&reader).map(DepartmentEvent.housingUnitRegistered)
        case .certificateChecked: CertificateChecked.read(&reader).map(DepartmentEvent.certificateChecked)
        case .certificateIssued: CertificateIssued.read(&reader).map(DepartmentEvent.certificateIssued)
        case .permitApplied: PermitApplied.read(&reader).map(DepartmentEvent.permitApplied)
        case .permitIssued: PermitIssued.read(&reader).map(DepartmentEvent.permitIssued)
        case .permitRejected: PermitRejected.read(&reader).map(DepartmentEvent.permitRejected)
        case .serviceRequested: ServiceRequested.read(&reader).map(DepartmentEvent.serviceRequested)
        case .serviceDelivered: ServiceDelivered.read(&reader).map(DepartmentEvent.serviceDelivered)
        }
    }
}
