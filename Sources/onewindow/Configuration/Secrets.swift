import Foundation

/// The two secrets: the token signing key and the master data key that wraps per-person keys.
/// Read only by the commands that need them; never logged.
struct Secrets: Sendable {
    /// `ONEWINDOW_TOKEN_SECRET`: HS256 signing key, at least 32 bytes of text.
    var tokenSecret: String
    /// `ONEWINDOW_DATA_KEY`: 32 bytes, base64.
    var dataKey: Data

    static func load(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Secrets {
        guard let secret = env["ONEWINDOW_TOKEN_SECRET"], !secret.isEmpty else {
            throw ConfigurationError(variable: "ONEWINDOW_TOKEN_SECRET", reason: "is not set (for the local stack: eval \"$(ops/stack env)\")")
        }
        guard secret.utf8.count >= 32 else {
            throw ConfigurationError(variable: "ONEWINDOW_TOKEN_SECRET", reason: "must be at least 32 characters")
        }
        guard let keyText = env["ONEWINDOW_DATA_KEY"], !keyText.isEmpty else {
            throw ConfigurationError(variable: "ONEWINDOW_DATA_KEY", reason: "is not set (for the local stack: eval \"$(ops/stack env)\")")
        }
        guard let key = Data(base64Encoded: keyText), key.count == 32 else {
            throw ConfigurationError(variable: "ONEWINDOW_DATA_KEY", reason: "must be 32 random bytes in base64 (e.g. openssl rand -base64 32)")
        }
        return Secrets(tokenSecret: secret, dataKey: key)
    }
}

