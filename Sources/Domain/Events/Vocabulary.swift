// The closed word lists of CONTRACT.md's event catalogue; raw values are the wire words.

/// A person's sex as registered.
public enum Sex: String, CaseIterable, Sendable { case female, male }

/// How a household member is related to the registered person.
public enum HouseholdRelation: String, CaseIterable, Sendable { case child, spouse, parent, other }

/// The documents departments check.
public enum CertificateKind: String, CaseIterable, Sendable {
    case marriageChildbearing = "marriage-childbearing"
    case identity
    case employmentContract = "employment-contract"
    case schoolRecord = "school-record"
    case other
}

/// The outcome of a certificate check.
public enum CertificateResult: String, CaseIterable, Sendable { case valid, missing, expired, mismatch }

/// Why a residence permit application was refused.
public enum PermitRejectionReason: String, CaseIterable, Sendable {
    case under16 = "under-16"
    case residentUnder30Days = "resident-under-30-days"
    case locallyRegistered = "locally-registered"
    case other
}

/// The basic public-service categories.
public enum ServiceCategory: String, CaseIterable, Sendable {
    case education, employment, health, housing, culture
    case socialSecurity = "social-security"
    case reproductiveHealth = "reproductive-health"
    case legalAid = "legal-aid"
    case socialAssistance = "social-assistance"
}
