import API
import ArgumentParser
import Domain

/// `onewindow token issue --org ORG --role ROLE`: mint a bearer token (HS256, ONEWINDOW_TOKEN_SECRET).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Bearer tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mint a bearer token for the local stack.")

        @Option(help: "Organization id (as in the organizations file).") var org: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "View scopes for a reader, comma-separated.") var scopes: String?
        @Option(help: "Hours until it expires.") var hours = 12

        func validate() throws {
            guard (try? OrganizationID(org)) != nil else { throw ValidationError("--org '\(org)' is not an organization id (lowercase letters, digits, hyphens)") }
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role '\(role)' is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...24 * 365).contains(hours) else { throw ValidationError("--hours must be between 1 and 8760") }
        }

        func run() async throws {
            let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
            let authority = try await TokenAuthority(secret: secrets.tokenSecret)
            let token = try await authority.issue(
                organization: try OrganizationID(org), role: Role(rawValue: role)!,
                scopes: scopes.map { $0.split(separator: ",").map(String.init) },
                lifetime: .seconds(hours * 3600))
            print(token)
        }
    }
}
