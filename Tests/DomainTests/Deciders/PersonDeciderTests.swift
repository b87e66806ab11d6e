import Testing
import Domain

@Suite("Person decider: registration lifecycle, certificates, permit eligibility")
struct PersonDeciderTests {
    static func date(_ s: String) -> CalendarDate { try! CalendarDate(iso: s) }
    static let identity = try! Identity(kind: .residentID, number: "411523198807210128")
    static let city = try! RegionCode("320500000000")
    static let home = try! Residence(region: RegionCode("320505001001"), gridID: "G-1")
    static let registered = ResidentRegistered(identity: identity, name: "张伟", sex: .male, birthDate: date("1988-07-21"),
                                               originRegion: try! RegionCode("411523000000"), residence: home, arrivedOn: date("2026-03-01"))
    static let moved = ResidentMoved(identity: identity, residence: try! Residence(region: RegionCode("320505002003"), gridID: "G-2"), movedOn: date("2026-04-01"))
    static let departed = ResidentDeparted(identity: identity, departedOn: date("2026-12-20"))
    static let checked = CertificateChecked(identity: identity, certificate: .marriageChildbearing, result: .missing)
    static let issued = CertificateIssued(identity: identity, certificate: .marriageChildbearing, validUntil: date("2031-01-01"))
    static let applied = PermitApplied(identity: identity, applicationID: "A-1", appliedOn: date("2026-04-05"))

    static func state(_ events: [DepartmentEvent]) -> PersonState { events.reduce(PersonDecider.initialState, PersonDecider.evolve) }
    static func decidePermit(on day: String, city: RegionCode = city) -> PersonCommand {
        .decidePermit(applicationID: "A-1", on: date(day), hostCity: city, permitNumber: "JZZ-1", validUntil: date("2027-04-05"))
    }

    enum Then: Equatable { case events([DepartmentEvent]), refused(PersonRefusal) }

    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let given: [DepartmentEvent]
        let when: PersonCommand
        let then: Then
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "newcomer registers", given: [], when: .register(registered), then: .events([.residentRegistered(registered)])),
        Case(name: "same registration again decides nothing", given: [.residentRegistered(registered)], when: .register(registered), then: .events([])),
        Case(name: "a different registration while resident is refused", given: [.residentRegistered(registered)],
             when: .register({ var r = registered; r.name = "张三"; return r }()), then: .refused(.alreadyRegistered)),
        Case(name: "departed person registers again", given: [.residentRegistered(registered), .residentDeparted(departed)],
             when: .register(registered), then: .events([.residentRegistered(registered)])),
        Case(name: "resident moves", given: [.residentRegistered(registered)], when: .move(moved), then: .events([.residentMoved(moved)])),
        Case(name: "move to the same residence decides nothing", given: [.residentRegistered(registered), .residentMoved(moved)], when: .move(moved), then: .events([])),
        Case(name: "unknown person cannot move", given: [], when: .move(moved), then: .refused(.notRegistered)),
        Case(name: "departed person cannot move", given: [.residentRegistered(registered), .residentDeparted(departed)], when: .move(moved), then: .refused(.notRegistered)),
        Case(name: "resident departs", given: [.residentRegistered(registered)], when: .depart(departed), then: .events([.residentDeparted(departed)])),
        Case(name: "same departure again decides nothing", given: [.residentRegistered(registered), .residentDeparted(departed)], when: .depart(departed), then: .events([])),
        Case(name: "unknown person cannot depart", given: [], when: .depart(departed), then: .refused(.notRegistered)),
        Case(name: "certificate check is recorded", given: [.residentRegistered(registered)], when: .recordCertificateCheck(checked), then: .events([.certificateChecked(checked)])),
        Case(name: "same certificate check again decides nothing", given: [.residentRegistered(registered), .certificateChecked(checked)],
             when: .recordCertificateCheck(checked), then: .events([])),
        Case(name: "missing certificate re-issued by the origin", given: [.residentRegistered(registered), .certificateChecked(checked)],
             when: .recordCertificateIssue(issued), then: .events([.certificateIssued(issued)])),
        Case(name: "certificate of unknown person is refused", given: [], when: .recordCertificateCheck(checked), then: .refused(.notRegistered)),
        Case(name: "resident applies for a permit", given: [.residentRegistered(registered)], when: .applyForPermit(applied), then: .events([.permitApplied(applied)])),
        Case(name: "same application again decides nothing", given: [.residentRegistered(registered), .permitApplied(applied)], when: .applyForPermit(applied), then: .events([])),
        Case(name: "departed person cannot apply", given: [.residentRegistered(registered), .residentDeparted(departed)], when: .applyForPermit(applied), then: .refused(.notRegistered)),
        Case(name: "eligible application is issued", given: [.residentRegistered(registered), .permitApplied(applied)], when: decidePermit(on: "2026-04-10"),
             then: .events([.permitIssued(PermitIssued(identity: identity, applicationID: "A-1", permitNumber: "JZZ-1", validFrom: date("2026-04-10"), validUntil: date("2027-04-05")))])),
        Case(name: "application after 29 days is rejected", given: [.residentRegistered(registered), .permitApplied(applied)], when: decidePermit(on: "2026-03-30"),
             then: .events([.permitRejected(PermitRejected(identity: identity, applicationID: "A-1", reason: .residentUnder30Days))])),
        Case(name: "locally registered applicant is rejected", given: [.residentRegistered(registered), .permitApplied(applied)],
             when: decidePermit(on: "2026-04-10", city: try! RegionCode("411500000000")),
             then: .events([.permitRejected(PermitRejected(identity: identity, applicationID: "A-1", reason: .locallyRegistered))])),
        Case(name: "decided application decides nothing again", given: [.residentRegistered(registered), .permitApplied(applied),
             .permitRejected(PermitRejected(identity: identity, applicationID: "A-1", reason: .residentUnder30Days))], when: decidePermit(on: "2026-04-10"), then: .events([])),
        Case(name: "deciding without an application is refused", given: [.residentRegistered(registered)], when: decidePermit(on: "2026-04-10"),
             then: .refused(.noPendingApplication(applicationID: "A-1"))),
        Case(name: "permit holder cannot apply again while valid", given: [.residentRegistered(registered), .permitApplied(applied),
             .permitIssued(PermitIssued(identity: identity, applicationID: "A-1", permitNumber: "JZZ-1", validFrom: date("2026-04-10"), validUntil: date("2027-04-05")))],
             when: .applyForPermit(PermitApplied(identity: identity, applicationID: "A-2", appliedOn: date("2026-06-01"))), then: .refused(.alreadyHoldsPermit)),
    ]

    @Test(arguments: cases)
    func givenHistoryWhenCommandThenEventsOrRefusal(_ c: Case) {
        let result = PersonDecider.decide(c.when, Self.state(c.given))
        switch result {
        case .success(let events): #expect(Then.events(events) == c.then)
        case .failure(let refusal): #expect(Then.refused(refusal) == c.then)
        }
    }

    @Test(arguments: cases)
    func runningTheSameCommandAgainDecidesNothing(_ c: Case) throws {
        let given = Self.state(c.given)
        guard case .success(let events) = PersonDecider.decide(c.when, given) else { return }
        #expect(try PersonDecider.decide(c.when, events.reduce(given, PersonDecider.evolve)).get() == [])
    }

    @Test(arguments: [
        ("2010-06-15", "411523000000", "2026-03-01", "2026-06-01", [PermitRejectionReason.under16]),
        ("1990-01-01", "320505000000", "2026-03-01", "2026-06-01", [.locallyRegistered]),
        ("1990-01-01", "411523000000", "2026-05-10", "2026-06-01", [.residentUnder30Days]),
        ("2012-01-01", "320500000000", "2026-05-31", "2026-06-01", [.under16, .locallyRegistered, .residentUnder30Days]),
        ("2010-06-01", "411523000000", "2026-05-02", "2026-06-01", []),
    ])
    func eligibilityNamesEveryFailedCondition(_ born: String, _ origin: String, _ arrived: String, _ on: String, _ failed: [PermitRejectionReason]) throws {
        var r = Self.registered
        r.birthDate = Self.date(born)
        r.originRegion = try RegionCode(origin)
        r.arrivedOn = Self.date(arrived)
        let file = try #require(Self.state([.residentRegistered(r)]).file)
        let result = PermitEligibility.evaluate(file, on: Self.date(on), hostCity: Self.city)
        #expect(result.failures.map(\.reason) == failed)
        #expect(result.failures.allSatisfy { $0.explanation.contains("needs") || $0.explanation.contains("elsewhere") })
    }

    @Test func movingInsideTheCityKeepsTheArrivalDateForThe30DayRule() {
        let file = Self.state([.residentRegistered(Self.registered), .residentMoved(Self.moved)]).file
        #expect(file?.arrivedOn == Self.date("2026-03-01"))
        #expect(file?.residence == Self.moved.residence)
    }

    @Test func permitHolderIsEntitledToAllBasicServicesOthersToHealthOnly() {
        let issued = PermitIssued(identity: Self.identity, permitNumber: "JZZ-1", validFrom: Self.date("2026-04-10"), validUntil: Self.date("2027-04-05"))
        let holder = Self.state([.residentRegistered(Self.registered), .permitIssued(issued)])
        #expect(ServiceEntitlement.categories(for: holder, on: Self.date("2026-05-01")) == Set(ServiceCategory.allCases))
        #expect(ServiceEntitlement.categories(for: holder, on: Self.date("2027-05-01")) == [.health, .reproductiveHealth])
        #expect(ServiceEntitlement.categories(for: Self.state([.residentRegistered(Self.registered)]), on: Self.date("2026-05-01")) == [.health, .reproductiveHealth])
        #expect(ServiceEntitlement.categories(for: .unknown, on: Self.date("2026-05-01")).isEmpty)
    }

    @Test func evolveIgnoresEventsForUnknownPeopleInsteadOfFailing() {
        #expect(PersonDecider.evolve(.unknown, .residentMoved(Self.moved)) == .unknown)
        #expect(PersonDecider.evolve(.unknown, .certificateChecked(Self.checked)) == .unknown)
    }
}
