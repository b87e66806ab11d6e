import Foundation
import JWTKit

/// The roles of the contract (token claim `role`).
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case departmentSystem = "department-system"
    case caseWorker = "case-worker"
    case supervisor, committee, reader, auditor
}

/// The claims of a OneWindow bearer token: who (`sub`), for which organization (`org`), in
/// which role, with which view scopes, until when (`exp`), for whom (`aud` = "onewindow").
public struct AccessClaims: JWTPayload, Sendable, Equatable {
    public static let audience = "onewindow"

    public var sub: SubjectClaim
    public var org: String
    public var role: Role
    public var scopes: [String]?
    public var exp: ExpirationClaim
    public var aud: AudienceClaim

    public init(subject: String, organization: String, role: Role, scopes: [String]? = nil, expires: Date, audience: String = Self.audience) {
        sub = SubjectClaim(value: subject)
        org = organization
        self.role = role
        self.scopes = scopes
        exp = ExpirationClaim(value: expires)
        aud = AudienceClaim(value: [audience])
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Self.audience)
    }
}
