import Foundation

/// A command on a case; `by` says who acts and `at` is the current time, both passed in.
public enum CaseCommand: Hashable, Sendable {
    case open(CaseOpened)
    case assign(to: OrganizationID, due: Date, by: CaseActor, at: Date)
    case refer(to: OrganizationID, due: Date, by: CaseActor, at: Date)
    case accept(by: CaseActor, at: Date)
    case decline(reason: String, by: CaseActor, at: Date)
    case note(noteID: String, text: String, by: CaseActor, at: Date)
    case escalate(reason: EscalationReason, by: CaseActor, at: Date)
    case resolve(outcome: String, by: CaseActor, at: Date)
    case reopen(reason: String, by: CaseActor, at: Date)
    case close(by: CaseActor, at: Date)

    /// The action this command takes.
    public var action: CaseAction {
        switch self {
        case .open: .open
        case .assign: .assign
        case .refer: .refer
        case .accept: .accept
        case .decline: .decline
        case .note: .note
        case .escalate: .escalate
        case .resolve: .resolve
        case .reopen: .reopen
        case .close: .close
        }
    }

    var actor: CaseActor {
        switch self {
        case .open: .office
        case .assign(_, _, let by, _), .refer(_, _, let by, _), .accept(let by, _), .decline(_, let by, _), .note(_, _, let by, _),
             .escalate(_, let by, _), .resolve(_, let by, _), .reopen(_, let by, _), .close(let by, _): by
        }
    }
}

/// The case aggregate as a decider: open → assigned/referred → accepted/declined → resolved → closed,
/// with reopen and escalation. `decide` is idempotent (a repeated command decides nothing); `evolve` never fails.
public enum CaseDecider {
    public static let initialState = CaseState.none

    /// Who may take `action` on `file`: the office always routes; the holder accepts, declines, refers on and
    /// resolves; the committee acts on escalated cases; anyone involved may note.
    public static func mayTake(_ action: CaseAction, _ actor: CaseActor, on file: CaseFile) -> Bool {
        let isHolder = if case .organization(let org) = actor { org == file.holder } else { false }
        switch action {
        case .open, .reopen, .close: return actor == .office
        case .assign, .escalate: return actor == .office || (actor == .committee && file.escalated)
        case .accept, .decline: return isHolder
        case .refer: return actor == .office || isHolder
        case .resolve, .note: return actor == .office || isHolder || (actor == .committee && file.escalated)
        }
    }

    public static func decide(_ command: CaseCommand, _ state: CaseState) -> Result<[CaseEvent], CaseRefusal> {
        guard case .active(let file) = state else {
            guard case .open(let opened) = command else { return .failure(.noSuchCase) }
            return .success([.opened(opened)])
        }
        if case .open(let opened) = command { return opened == file.opened ? .success([]) : .failure(.alreadyOpened) }
        if alreadyDone(command, file) { return .success([]) }
        guard file.allowedActions.contains(command.action) else { return .failure(.notAllowed(action: command.action, phase: file.phase)) }
        guard mayTake(command.action, command.actor, on: file) else { return .failure(.notPermitted(action: command.action, actor: command.actor)) }
        return .success([event(for: command)])
    }

    /// The command's effect is already in the state (redelivery): decide nothing.
    static func alreadyDone(_ command: CaseCommand, _ file: CaseFile) -> Bool {
        switch command {
        case .open: true
        case .assign(let org, let due, _, _): file.phase == .assigned && file.holder == org && file.due == due
        case .refer(let org, let due, _, _): file.phase == .referred && file.holder == org && file.due == due
        case .accept(let by, _): file.phase == .accepted && by == file.holder.map(CaseActor.organization)
        case .decline(_, let by, _): file.phase == .declined && by == file.lastDeclinedBy.map(CaseActor.organization)
        case .note(let id, _, _, _): file.noteIDs.contains(id)
        case .escalate: file.escalated
        case .resolve: file.phase == .resolved
        case .reopen: file.phase == .open && file.resolvedAt != nil
        case .close: file.phase == .closed
        }
    }

    static func event(for command: CaseCommand) -> CaseEvent {
        switch command {
        case .open(let o): .opened(o)
        case .assign(let org, let due, let by, let at): .assigned(to: org, by: by, due: due, at: at)
        case .refer(let org, let due, let by, let at): .referred(to: org, by: by, due: due, at: at)
        case .accept(let by, let at): if case .organization(let org) = by { .accepted(by: org, at: at) } else { preconditionFailure("only organizations accept") }
        case .decline(let reason, let by, let at): if case .organization(let org) = by { .declined(by: org, reason: reason, at: at) } else { preconditionFailure("only organizations decline") }
        case .note(let id, let text, let by, let at): .noted(noteID: id, by: by, text: text, at: at)
        case .escalate(let reason, let by, let at): .escalated(reason: reason, by: by, at: at)
        case .resolve(let outcome, let by, let at): .resolved(by: by, outcome: outcome, at: at)
        case .reopen(let reason, let by, let at): .reopened(by: by, reason: reason, at: at)
        case .close(let by, let at): .closed(by: by, at: at)
        }
    }

    /// Applies one event; never fails (an event that makes no sense in the state leaves it unchanged).
    public static func evolve(_ state: CaseState, _ event: CaseEvent) -> CaseState {
        if case .opened(let o) = event {
            if case .active = state { return state }
            return .active(CaseFile(opened: o, phase: .open, holder: nil, lastDeclinedBy: nil, due: o.due, escalated: false, noteIDs: [], resolvedAt: nil))
        }
        guard case .active(var f) = state else { return state }
        switch event {
        case .opened: break
        case .assigned(let org, _, let due, _): (f.phase, f.holder, f.due) = (.assigned, org, due)
        case .referred(let org, _, let due, _): (f.phase, f.holder, f.due) = (.referred, org, due)
        case .accepted: f.phase = .accepted
        case .declined(let org, _, _): (f.phase, f.holder, f.lastDeclinedBy) = (.declined, nil, org)
        case .noted(let id, _, _, _): f.noteIDs.insert(id)
        case .escalated: f.escalated = true
        case .resolved(_, _, let at): (f.phase, f.resolvedAt) = (.resolved, at)
        case .reopened: (f.phase, f.holder) = (.open, nil)
        case .closed: f.phase = .closed
        }
        return .active(f)
    }
}
