/// The residence permit rule of the source papers: aged 16 or over, not locally registered
/// (household registration outside the host city), and resident here 30 days or more.
public struct PermitEligibility: Hashable, Sendable {
    /// One condition that failed, with the reason code the permit events use and a sentence for the applicant.
    public struct Failure: Hashable, Sendable {
        public let reason: PermitRejectionReason
        public let explanation: String
    }

    /// Every failed condition, in the order the rule lists them; empty when eligible.
    public let failures: [Failure]

    public var isEligible: Bool { failures.isEmpty }

    /// Evaluates the rule for `file` on `date`; `hostCity` is the city (or county) whose permit it is.
    public static func evaluate(_ file: PersonFile, on date: CalendarDate, hostCity: RegionCode) -> PermitEligibility {
        var failures: [Failure] = []
        let age = file.birthDate.age(on: date)
        if age < 16 {
            failures.append(Failure(reason: .under16, explanation: "aged \(age) on \(date); a residence permit needs age 16 or over"))
        }
        if hostCity.contains(file.originRegion) {
            failures.append(Failure(reason: .locallyRegistered, explanation: "household registration \(file.originRegion) is inside \(hostCity); a permit is for people registered elsewhere"))
        }
        let days = file.arrivedOn.days(until: date)
        if days < 30 {
            failures.append(Failure(reason: .residentUnder30Days, explanation: "resident \(max(days, 0)) days since \(file.arrivedOn); a permit needs 30 days or more"))
        }
        return PermitEligibility(failures: failures)
    }
}

/// Which basic public-service categories a person is entitled to: a valid permit holder to all of
/// them (the papers' basic public services); any registered resident to health and reproductive-health
/// services (basic public health covers the resident population); nobody else.
public enum ServiceEntitlement {
    public static let withoutPermit: Set<ServiceCategory> = [.health, .reproductiveHealth]

    public static func categories(for state: PersonState, on date: CalendarDate) -> Set<ServiceCategory> {
        guard case .resident(let file) = state else { return [] }
        return file.permit.isValid(on: date) ? Set(ServiceCategory.allCases) : withoutPermit
    }
}
