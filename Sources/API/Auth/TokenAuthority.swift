import Domain
import Foundation
import JWTKit

/// Signs and verifies bearer tokens: HS256 with `ONEWINDOW_TOKEN_SECRET`. Used by
/// `onewindow token issue` and by every authenticated route.
public struct TokenAuthority: Sendable {
    let keys: JWTKeyCollection

    /// - Parameter secret: the signing secret; at least 32 bytes.
    public init(secret: String) async throws(TokenSecretError) {
        guard secret.utf8.count >= 32 else { throw TokenSecretError() }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// Mints a token for `organization` in `role` (`onewindow token issue --org --role`).
    public func issue(organization: OrganizationID, role: Role, subject: String? = nil, scopes: [String]? = nil,
                      lifetime: Duration = .seconds(12 * 3600), now: Date = Date()) async throws -> String {
        let claims = AccessClaims(subject: subject ?? organization.text, organization: organization.text, role: role,
                                  scopes: scopes, expires: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        return try await sign(claims)
    }

    /// Signs claims as given (tests use it for tokens meant for another audience).
    public func sign(_ claims: AccessClaims) async throws -> String {
        try await keys.sign(claims)
    }

    /// The verified claims of an `Authorization` header value (`Bearer <token>`). Any problem —
    /// missing, malformed, expired, wrong signature or audience, missing claims — is a 401.
    public func verify(authorization: String?) async throws(APIError) -> VerifiedCaller {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
            throw .unauthorized("send a bearer token in the Authorization header")
        }
        let token = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch {
            throw .unauthorized("the token is invalid, expired or not meant for OneWindow; ask for a new one")
        }
        guard let organization = try? OrganizationID(claims.org) else {
            throw .unauthorized("the token's org claim is not an organization id")
        }
        return VerifiedCaller(organization: organization, role: claims.role, scopes: claims.scopes ?? [])
    }
}

/// Who a verified token says the caller is.
public struct VerifiedCaller: Sendable, Equatable {
    public let organization: OrganizationID
    public let role: Role
    public let scopes: [String]
}

/// `ONEWINDOW_TOKEN_SECRET` is too short to sign with.
public struct TokenSecretError: Error, Sendable, CustomStringConvertible {
    public var description: String { "ONEWINDOW_TOKEN_SECRET must be at least 32 bytes" }
}
