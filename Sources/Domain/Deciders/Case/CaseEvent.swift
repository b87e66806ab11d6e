import Foundation

/// What happened to a case; the workflow engine's own events (`onewindow.case.*.v1`).
public enum CaseEvent: Hashable, Sendable {
    case opened(CaseOpened)
    case assigned(to: OrganizationID, by: CaseActor, due: Date, at: Date)
    case referred(to: OrganizationID, by: CaseActor, due: Date, at: Date)
    case accepted(by: OrganizationID, at: Date)
    case declined(by: OrganizationID, reason: String, at: Date)
    case noted(noteID: String, by: CaseActor, text: String, at: Date)
    case escalated(reason: EscalationReason, by: CaseActor, at: Date)
    case resolved(by: CaseActor, outcome: String, at: Date)
    case reopened(by: CaseActor, reason: String, at: Date)
    case closed(by: CaseActor, at: Date)
}

/// The facts a case starts with.
public struct CaseOpened: Hashable, Sendable {
    public var caseID: CaseID
    /// What the case is about, e.g. `school-enrollment`, `certificate-request`, `wage-arrears`.
    public var kind: String
    public var personID: PersonID?
    public var priority: CasePriority
    /// When the office must have routed it.
    public var due: Date
    /// The other region involved in a cross-region case (its response time is assessed).
    public var otherRegion: RegionCode?
    public var at: Date

    public init(caseID: CaseID, kind: String, personID: PersonID? = nil, priority: CasePriority = .normal,
                due: Date, otherRegion: RegionCode? = nil, at: Date) {
        (self.caseID, self.kind, self.personID, self.priority, self.due, self.otherRegion, self.at) = (caseID, kind, personID, priority, due, otherRegion, at)
    }
}

/// How urgent a case is.
public enum CasePriority: String, CaseIterable, Sendable { case normal, high, major }

/// Why a case went to the committee.
public enum EscalationReason: String, CaseIterable, Sendable {
    case majorMatter = "major-matter"
    case deadlineMissedTwice = "deadline-missed-twice"
}

/// Who takes a case action: the coordination office, an organization, or the committee.
public enum CaseActor: Hashable, Sendable {
    case office
    case organization(OrganizationID)
    case committee
}

/// The lifecycle phase of a case.
public enum CasePhase: String, CaseIterable, Sendable {
    case open, assigned, referred, accepted, declined, resolved, closed
}

/// Why a case command was refused (the API answers 403 for `notPermitted`, 422 otherwise).
public enum CaseRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case noSuchCase
    case alreadyOpened
    case notAllowed(action: CaseAction, phase: CasePhase)
    case notPermitted(action: CaseAction, actor: CaseActor)

    public var description: String {
        switch self {
        case .noSuchCase: "there is no such case"
        case .alreadyOpened: "a case with this id is already open with other facts"
        case .notAllowed(let action, let phase): "\(action.rawValue) is not allowed while the case is \(phase.rawValue)"
        case .notPermitted(let action, let actor): "\(actor) may not \(action.rawValue) this case"
        }
    }
}

/// The actions of `POST /v1/cases/{caseId}/{action}` (plus open).
public enum CaseAction: String, CaseIterable, Sendable {
    case open, assign, refer, accept, decline, note, resolve, reopen, escalate, close
}
