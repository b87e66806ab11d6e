import Foundation

/// A case as far as decisions need it: nothing yet, or its file.
public enum CaseState: Hashable, Sendable {
    case none
    case active(CaseFile)

    /// The phase, when the case exists.
    public var phase: CasePhase? { if case .active(let f) = self { f.phase } else { nil } }
}

/// What an existing case carries: phase, who holds it, deadline (as data), escalation.
public struct CaseFile: Hashable, Sendable {
    public var opened: CaseOpened
    public var phase: CasePhase
    /// The organization that must act now (assignee, or the one it was referred to).
    public var holder: OrganizationID?
    /// The organization that last declined (so a repeated decline decides nothing).
    public var lastDeclinedBy: OrganizationID?
    public var due: Date
    public var escalated: Bool
    public var noteIDs: Set<String>
    public var resolvedAt: Date?

    /// Whether the case is past its deadline at `now` (closed and resolved cases never are).
    public func isOverdue(at now: Date) -> Bool {
        phase != .resolved && phase != .closed && now > due
    }

    /// Which actions the case's phase allows (who may take them is `CaseDecider.mayTake`).
    public var allowedActions: Set<CaseAction> {
        switch phase {
        case .open: [.assign, .note, .escalate]
        case .assigned: [.assign, .accept, .decline, .note, .escalate]
        case .referred: [.assign, .accept, .decline, .note, .escalate]
        case .accepted: [.refer, .note, .resolve, .escalate]
        case .declined: [.assign, .note, .escalate]
        case .resolved: [.reopen, .close, .note]
        case .closed: [.reopen]
        }
    }
}
