/// A command about one person; dates and the host city come in with it, the core reads no clock.
public enum PersonCommand: Hashable, Sendable {
    case register(ResidentRegistered)
    case move(ResidentMoved)
    case depart(ResidentDeparted)
    case recordCertificateCheck(CertificateChecked)
    case recordCertificateIssue(CertificateIssued)
    case applyForPermit(PermitApplied)
    /// Decide a pending application on `on`: issue `permitNumber` valid until `validUntil`, or reject with the failed condition.
    case decidePermit(applicationID: String, on: CalendarDate, hostCity: RegionCode, permitNumber: String, validUntil: CalendarDate)
}

/// Why a person command was refused.
public enum PersonRefusal: Error, Hashable, Sendable {
    case notRegistered
    case alreadyRegistered
    case noPendingApplication(applicationID: String)
    case alreadyHoldsPermit
}

/// The person aggregate as a decider: registered → moved → departed (and registered again), certificate
/// history, permit application and decision. Events are the canonical department events.
public enum PersonDecider {
    public static let initialState = PersonState.unknown

    public static func decide(_ command: PersonCommand, _ state: PersonState) -> Result<[DepartmentEvent], PersonRefusal> {
        switch command {
        case .register(let r):
            switch state {
            case .resident(let f):
                return f.registration == r ? .success([]) : .failure(.alreadyRegistered)
            case .unknown, .departed: return .success([.residentRegistered(r)])
            }
        case .move(let m):
            guard case .resident(let f) = state else { return .failure(.notRegistered) }
            return .success(f.residence == m.residence ? [] : [.residentMoved(m)])
        case .depart(let d):
            switch state {
            case .resident: return .success([.residentDeparted(d)])
            case .departed(_, let on) where on == d.departedOn: return .success([])
            case .departed, .unknown: return .failure(.notRegistered)
            }
        case .recordCertificateCheck(let c):
            guard let f = state.file else { return .failure(.notRegistered) }
            let same = f.certificates[c.certificate] == CertificateRecord(result: c.result, validUntil: c.validUntil, reissued: false)
            return .success(same ? [] : [.certificateChecked(c)])
        case .recordCertificateIssue(let c):
            guard let f = state.file else { return .failure(.notRegistered) }
            let same = f.certificates[c.certificate] == CertificateRecord(result: .valid, validUntil: c.validUntil, reissued: true)
            return .success(same ? [] : [.certificateIssued(c)])
        case .applyForPermit(let a):
            guard case .resident(let f) = state else { return .failure(.notRegistered) }
            if case .applied(a.applicationID, _) = f.permit { return .success([]) }
            if f.permit.isValid(on: a.appliedOn) { return .failure(.alreadyHoldsPermit) }
            return .success([.permitApplied(a)])
        case .decidePermit(let id, let on, let city, let number, let until):
            return decidePermit(id, on: on, hostCity: city, permitNumber: number, validUntil: until, state)
        }
    }

    static func decidePermit(_ id: String, on date: CalendarDate, hostCity: RegionCode, permitNumber: String,
                             validUntil: CalendarDate, _ state: PersonState) -> Result<[DepartmentEvent], PersonRefusal> {
        guard case .resident(let f) = state else { return .failure(.notRegistered) }
        switch f.permit {
        case .holding(_, id, _, _), .rejected(id, _): return .success([])
        case .applied(id, _): break
        default: return .failure(.noPendingApplication(applicationID: id))
        }
        let eligibility = PermitEligibility.evaluate(f, on: date, hostCity: hostCity)
        if let failed = eligibility.failures.first {
            return .success([.permitRejected(PermitRejected(identity: f.identity, applicationID: id, reason: failed.reason))])
        }
        return .success([.permitIssued(PermitIssued(identity: f.identity, applicationID: id, permitNumber: permitNumber, validFrom: date, validUntil: validUntil))])
    }

    static func evolveRegistration(_ r: ResidentRegistered, previous: PersonFile?) -> PersonFile {
        PersonFile(registration: r, identity: r.identity, birthDate: r.birthDate, originRegion: r.originRegion, residence: r.residence,
                   arrivedOn: r.arrivedOn, certificates: previous?.certificates ?? [:], permit: previous?.permit ?? .none)
    }

    /// Applies one event; never fails (an event that makes no sense in the state leaves it unchanged).
    public static func evolve(_ state: PersonState, _ event: DepartmentEvent) -> PersonState {
        switch (state, event) {
        case (_, .residentRegistered(let r)):
            return .resident(evolveRegistration(r, previous: state.file))
        case (.resident(var f), .residentMoved(let m)):
            f.residence = m.residence
            return .resident(f)
        case (.resident(let f), .residentDeparted(let d)):
            return .departed(f, on: d.departedOn)
        case (_, .certificateChecked(let c)):
            return updating(state) { $0.certificates[c.certificate] = CertificateRecord(result: c.result, validUntil: c.validUntil, reissued: false) }
        case (_, .certificateIssued(let c)):
            return updating(state) { $0.certificates[c.certificate] = CertificateRecord(result: .valid, validUntil: c.validUntil, reissued: true) }
        case (_, .permitApplied(let a)):
            return updating(state) { $0.permit = .applied(applicationID: a.applicationID, on: a.appliedOn) }
        case (_, .permitIssued(let p)):
            return updating(state) { $0.permit = .holding(permitNumber: p.permitNumber, applicationID: p.applicationID, validFrom: p.validFrom, validUntil: p.validUntil) }
        case (_, .permitRejected(let p)):
            return updating(state) { $0.permit = .rejected(applicationID: p.applicationID, reason: p.reason) }
        default:
            return state
        }
    }

    static func updating(_ state: PersonState, _ change: (inout PersonFile) -> Void) -> PersonState {
        switch state {
        case .unknown: return state
        case .resident(var f): change(&f); return .resident(f)
        case .departed(var f, let on): change(&f); return .departed(f, on: on)
        }
    }
}
