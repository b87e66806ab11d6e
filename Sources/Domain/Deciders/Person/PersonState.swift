/// A person as far as decisions need it: never seen, living here, or gone.
public enum PersonState: Hashable, Sendable {
    case unknown
    case resident(PersonFile)
    case departed(PersonFile, on: CalendarDate)

    /// The file, whether resident or departed.
    public var file: PersonFile? {
        switch self {
        case .unknown: nil
        case .resident(let f), .departed(let f, _): f
        }
    }
}

/// What a person's history says that decisions need.
public struct PersonFile: Hashable, Sendable {
    /// The registration that started the current (or last) stay, to recognise its redelivery.
    public var registration: ResidentRegistered
    public var identity: Identity
    public var birthDate: CalendarDate
    public var originRegion: RegionCode
    public var residence: Residence
    /// The first day of the current stay (a move inside the city keeps it; a new registration restarts it).
    public var arrivedOn: CalendarDate
    /// The latest check or issue per certificate kind.
    public var certificates: [CertificateKind: CertificateRecord]
    public var permit: PermitStatus
}

/// The last known state of one certificate.
public struct CertificateRecord: Hashable, Sendable {
    public var result: CertificateResult
    public var validUntil: CalendarDate?
    /// True when the latest record is an issue (the region of origin re-issued it).
    public var reissued: Bool
}

/// Where the person stands with the residence permit.
public enum PermitStatus: Hashable, Sendable {
    case none
    case applied(applicationID: String, on: CalendarDate)
    case rejected(applicationID: String, reason: PermitRejectionReason)
    case holding(permitNumber: String, applicationID: String?, validFrom: CalendarDate, validUntil: CalendarDate)

    /// Whether a permit is valid on `date`.
    public func isValid(on date: CalendarDate) -> Bool {
        if case .holding(_, _, let from, let until) = self { return from <= date && date <= until }
        return false
    }
}
