import Foundation

// The field rules of the case event schemas (Events/schemas/common.schema.json `$defs`), as
// FieldRule does for the department events.

extension CaseActor {
    /// `by` on the wire: `office`, `committee`, or the organization's id.
    var wireName: String {
        switch self {
        case .office: "office"
        case .committee: "committee"
        case .organization(let org): org.text
        }
    }

    /// Words of `by` that are not organizations; no organization may have one as its id.
    static let reservedWords: Set<String> = ["office", "committee"]
}

extension FieldRule where T == CaseID {
    /// `$defs/uuid` as a case id.
    static let caseID = FieldRule.fromString { (s: String) throws(InvalidValue) -> CaseID in
        let id = try CaseID(s)
        guard id.description == s else { throw InvalidValue("a case id is a lowercase UUID") }
        return id
    }
}

extension FieldRule where T == CaseActor {
    /// `$defs/caseActor`: `office`, `committee` or an organization id.
    static let caseActor = FieldRule.fromString { (s: String) throws(InvalidValue) -> CaseActor in
        switch s {
        case "office": return .office
        case "committee": return .committee
        default:
            guard let org = try? OrganizationID(s) else {
                throw InvalidValue("must be \"office\", \"committee\" or an organization id (lowercase letters and digits, single hyphens)")
            }
            return .organization(org)
        }
    }

    /// `by` of `onewindow.case.opened.v1`: `const: "office"`.
    static let openedBy = FieldRule<CaseActor> { value, at, errors in
        if value.isString(CaseActor.office.wireName) { return CaseActor.office }
        errors.append(ValidationError(field: at.pointer, reason: "must be \"office\": cases are opened by the office only"))
        return nil
    }
}

extension FieldRule where T == OrganizationID {
    /// `$defs/caseOrganization`: an organization id that is not a reserved word of `caseActor`.
    static let caseOrganization = FieldRule.fromString { (s: String) throws(InvalidValue) -> OrganizationID in
        guard !CaseActor.reservedWords.contains(s) else {
            throw InvalidValue("must name an organization; \"\(s)\" is the \(s) itself, not an organization")
        }
        return try OrganizationID(s)
    }
}

extension FieldRule where T == String {
    /// `$defs/caseReason`: why a case was declined or reopened, how it was resolved.
    static let caseText = text(1...500)
    /// `$defs/noteText`.
    static let noteText = text(1...4000)
}

extension FieldRule where T == Date {
    /// `$defs/dateTime` as an instant.
    static let instant = FieldRule.fromString { (s: String) throws(InvalidValue) -> Date in CaseTime.date(try EventTime(s)) }
}

/// RFC 3339 text for the instants of case events, exact both ways. `Date` keeps seconds since 2001 in a
/// `Double`; going through seconds since 1970 (as `EventTime.date` does) can lose its last bits, and a
/// time read back would then differ from the one written.
enum CaseTime {
    static let secondsFrom1970To2001 = 978_307_200

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the fraction to the nanosecond without trailing zeros.
    static func text(_ date: Date) -> String {
        let since2001 = date.timeIntervalSinceReferenceDate
        let whole = since2001.rounded(.down)
        var nanos = Int(((since2001 - whole) * 1e9).rounded())
        var seconds = Int(whole) + secondsFrom1970To2001
        if nanos == 1_000_000_000 { (seconds, nanos) = (seconds + 1, 0) }
        var (days, second) = seconds.quotientAndRemainder(dividingBy: 86_400)
        if second < 0 { (days, second) = (days - 1, second + 86_400) }
        guard let day = CalendarDate(daysSinceEpoch: days) else { preconditionFailure("a case time lies in the years 0001-9999") }
        var out = "\(day)T\(CalendarDate.pad(second / 3600, 2)):\(CalendarDate.pad(second / 60 % 60, 2)):\(CalendarDate.pad(second % 60, 2))"
        if nanos > 0 {
            var digits = CalendarDate.pad(nanos, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "." + digits
        }
        return out + "Z"
    }

    /// The instant `time` names, built on `Date`'s own 2001 base.
    static func date(_ time: EventTime) -> Date {
        let b = Array(time.text.utf8)
        var fraction = 0.0
        if b[19] == 0x2E {
            let digits = b[20...].prefix(while: ASCII.isDigit)
            fraction = Double(ASCII.number(digits)) / pow(10, Double(digits.count))
        }
        let whole = (time.secondsSinceEpoch - fraction).rounded()
        return Date(timeIntervalSinceReferenceDate: (whole - Double(secondsFrom1970To2001)) + fraction)
    }
}
