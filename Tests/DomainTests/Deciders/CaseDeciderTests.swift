import Foundation
import Testing
import Domain

@Suite("Case decider: given events, when command, then events or refusal")
struct CaseDeciderTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)
    static let later = t0.addingTimeInterval(86_400)
    static let id = CaseID(UUID(uuidString: "0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11")!)
    static let opened = CaseOpened(caseID: id, kind: "school-enrollment", due: t0.addingTimeInterval(3 * 86_400), at: t0)
    static let education: OrganizationID = "education"
    static let ngo: OrganizationID = "legal-aid-ngo"

    /// A history that brings a case into each phase (holder: education, or the ngo once referred).
    static func history(_ phase: CasePhase) -> [CaseEvent] {
        let assigned = [CaseEvent.opened(opened), .assigned(to: education, by: .office, due: later, at: t0)]
        let accepted = assigned + [.accepted(by: education, at: t0)]
        let resolved = accepted + [.resolved(by: .organization(education), outcome: "enrolled", at: t0)]
        switch phase {
        case .open: return [.opened(opened)]
        case .assigned: return assigned
        case .referred: return accepted + [.referred(to: ngo, by: .organization(education), due: later, at: t0)]
        case .accepted: return accepted
        case .declined: return assigned + [.declined(by: education, reason: "no school place", at: t0)]
        case .resolved: return resolved
        case .closed: return resolved + [.closed(by: .office, at: t0)]
        }
    }

    static func state(_ events: [CaseEvent]) -> CaseState { events.reduce(CaseDecider.initialState, CaseDecider.evolve) }

    static func holder(in phase: CasePhase) -> CaseActor {
        phase == .referred ? .organization(ngo) : .organization(education)
    }

    /// The command for an action, taken by whoever normally takes it in that phase.
    static func command(_ action: CaseAction, in phase: CasePhase) -> CaseCommand {
        let holder = holder(in: phase)
        switch action {
        case .open: return .open(opened)
        case .assign: return .assign(to: "human-resources", due: later, by: .office, at: later)
        case .refer: return .refer(to: "community-station-7", due: later, by: holder, at: later)
        case .accept: return .accept(by: holder, at: later)
        case .decline: return .decline(reason: "out of area", by: holder, at: later)
        case .note: return .note(noteID: "n-1", text: "called the school", by: .office, at: later)
        case .escalate: return .escalate(reason: .majorMatter, by: .office, at: later)
        case .resolve: return .resolve(outcome: "done", by: phase == .accepted ? holder : .office, at: later)
        case .reopen: return .reopen(reason: "parent complained", by: .office, at: later)
        case .close: return .close(by: .office, at: later)
        }
    }

    enum Outcome: Equatable { case decides, nothing, refused }

    /// Written out by hand from the lifecycle, not derived from the implementation.
    static let table: [CasePhase: [CaseAction: Outcome]] = [
        .open: [.open: .nothing, .assign: .decides, .refer: .refused, .accept: .refused, .decline: .refused, .note: .decides,
                .escalate: .decides, .resolve: .refused, .reopen: .refused, .close: .refused],
        .assigned: [.open: .nothing, .assign: .decides, .refer: .refused, .accept: .decides, .decline: .decides, .note: .decides,
                    .escalate: .decides, .resolve: .refused, .reopen: .refused, .close: .refused],
        .referred: [.open: .nothing, .assign: .decides, .refer: .refused, .accept: .decides, .decline: .decides, .note: .decides,
                    .escalate: .decides, .resolve: .refused, .reopen: .refused, .close: .refused],
        .accepted: [.open: .nothing, .assign: .refused, .refer: .decides, .accept: .nothing, .decline: .refused, .note: .decides,
                    .escalate: .decides, .resolve: .decides, .reopen: .refused, .close: .refused],
        .declined: [.open: .nothing, .assign: .decides, .refer: .refused, .accept: .refused, .decline: .nothing, .note: .decides,
                    .escalate: .decides, .resolve: .refused, .reopen: .refused, .close: .refused],
        .resolved: [.open: .nothing, .assign: .refused, .refer: .refused, .accept: .refused, .decline: .refused, .note: .decides,
                    .escalate: .refused, .resolve: .nothing, .reopen: .decides, .close: .decides],
        .closed: [.open: .nothing, .assign: .refused, .refer: .refused, .accept: .refused, .decline: .refused, .note: .refused,
                  .escalate: .refused, .resolve: .refused, .reopen: .decides, .close: .nothing],
    ]

    static let cells = CasePhase.allCases.flatMap { p in CaseAction.allCases.map { (p, $0) } }

    @Test(arguments: cells)
    func everyActionInEveryPhaseDecidesIsIgnoredOrIsRefused(_ phase: CasePhase, _ action: CaseAction) {
        let given = Self.state(Self.history(phase))
        let result = CaseDecider.decide(Self.command(action, in: phase), given)
        switch (Self.table[phase]![action]!, result) {
        case (.decides, .success(let events)): #expect(events.count == 1)
        case (.nothing, .success(let events)): #expect(events.isEmpty)
        case (.refused, .failure(let refusal)): #expect(refusal == .notAllowed(action: action, phase: phase))
        case (let expected, let actual): Issue.record("\(action) in \(phase): expected \(expected), got \(actual)")
        }
    }

    @Test(arguments: cells)
    func runningTheSameCommandAgainDecidesNothing(_ phase: CasePhase, _ action: CaseAction) throws {
        let command = Self.command(action, in: phase)
        let given = Self.state(Self.history(phase))
        guard case .success(let events) = CaseDecider.decide(command, given) else { return }
        let after = events.reduce(given, CaseDecider.evolve)
        #expect(try CaseDecider.decide(command, after).get() == [])
    }

    @Test(arguments: [
        (CasePhase.assigned, CaseCommand.accept(by: .office, at: later)),
        (.assigned, .accept(by: .organization(ngo), at: later)),
        (.assigned, .decline(reason: "x", by: .organization("health"), at: later)),
        (.assigned, .assign(to: ngo, due: later, by: .organization(education), at: later)),
        (.assigned, .assign(to: ngo, due: later, by: .committee, at: later)),
        (.accepted, .resolve(outcome: "x", by: .organization(ngo), at: later)),
        (.accepted, .refer(to: ngo, due: later, by: .organization("health"), at: later)),
        (.accepted, .note(noteID: "n", text: "x", by: .organization("health"), at: later)),
        (.resolved, .close(by: .organization(education), at: later)),
        (.resolved, .reopen(reason: "x", by: .committee, at: later)),
        (.open, .escalate(reason: .majorMatter, by: .organization(education), at: later)),
    ])
    func actorWithoutTheRightIsRefused(_ phase: CasePhase, _ command: CaseCommand) {
        let result = CaseDecider.decide(command, Self.state(Self.history(phase)))
        guard case .failure(.notPermitted) = result else { Issue.record("expected notPermitted, got \(result)"); return }
    }

    @Test func committeeActsOnEscalatedCasesOnly() throws {
        let escalated = Self.history(.assigned) + [.escalated(reason: .deadlineMissedTwice, by: .office, at: Self.t0)]
        let reassign = CaseCommand.assign(to: Self.ngo, due: Self.later, by: .committee, at: Self.later)
        #expect(try CaseDecider.decide(reassign, Self.state(escalated)).get().count == 1)
        #expect(throws: CaseRefusal.notPermitted(action: .assign, actor: .committee)) { try CaseDecider.decide(reassign, Self.state(Self.history(.assigned))).get() }
    }

    @Test func commandOnACaseThatDoesNotExistIsRefused() {
        #expect(throws: CaseRefusal.noSuchCase) { try CaseDecider.decide(Self.command(.assign, in: .open), .none).get() }
        #expect(throws: CaseRefusal.alreadyOpened) {
            var other = Self.opened
            other.kind = "wage-arrears"
            return try CaseDecider.decide(.open(other), Self.state(Self.history(.open))).get()
        }
    }

    @Test func deadlineIsDataOnTheCaseAndMovesWithAssignment() {
        guard case .active(let file) = Self.state(Self.history(.assigned)) else { Issue.record("no case"); return }
        #expect(file.due == Self.later)
        #expect(!file.isOverdue(at: Self.later))
        #expect(file.isOverdue(at: Self.later.addingTimeInterval(1)))
        guard case .active(let closed) = Self.state(Self.history(.closed)) else { Issue.record("no case"); return }
        #expect(!closed.isOverdue(at: Self.later.addingTimeInterval(10 * 86_400)))
    }

    @Test func evolveIgnoresEventsThatMakeNoSenseInsteadOfFailing() {
        #expect(CaseDecider.evolve(.none, .closed(by: .office, at: Self.t0)) == .none)
        let open = Self.state(Self.history(.open))
        #expect(CaseDecider.evolve(open, .opened(Self.opened)) == open)
    }
}
