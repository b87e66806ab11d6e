import Foundation
import Projector
import Store

/// OneWindow's configuration, read once from the environment at start and passed down.
/// A missing or malformed value stops the program with one line naming the variable.
struct OneWindowEnvironment: Sendable {
    var databaseURL: DatabaseURL
    var kafkaBrokers: [String]
    var topicPrefix: String
    var httpHost: String
    var httpPort: Int
    /// `ONEWINDOW_READ_MODEL_PREFIX` (default empty): where read models live.
    var readModels = try! ReadModelNamespace()

    static func load(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> OneWindowEnvironment {
        let database: DatabaseURL
        do { database = try DatabaseURL(required("ONEWINDOW_DATABASE_URL", env)) } catch {
            throw ConfigurationError(variable: "ONEWINDOW_DATABASE_URL", reason: "must look like postgres://user:password@host:port/database")
        }
        let brokers = try required("ONEWINDOW_KAFKA_BROKERS", env).split(separator: ",").map(String.init)
        for broker in brokers where !Self.isHostPort(broker) {
            throw ConfigurationError(variable: "ONEWINDOW_KAFKA_BROKERS", reason: "'\(broker)' is not host:port (expected host:port,host:port,…)")
        }
        let prefix = env["ONEWINDOW_TOPIC_PREFIX"] ?? "onewindow"
        guard prefix.range(of: #"^[A-Za-z0-9._-]{1,100}$"#, options: .regularExpression) != nil else {
            throw ConfigurationError(variable: "ONEWINDOW_TOPIC_PREFIX", reason: "must be 1–100 of A–Z a–z 0–9 . _ -")
        }
        let portText = env["ONEWINDOW_HTTP_PORT"] ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ConfigurationError(variable: "ONEWINDOW_HTTP_PORT", reason: "'\(portText)' is not a port number (0–65535)")
        }
        let readModels: ReadModelNamespace
        do { readModels = try ReadModelNamespace(prefix: env["ONEWINDOW_READ_MODEL_PREFIX"] ?? "") } catch {
            throw ConfigurationError(variable: "ONEWINDOW_READ_MODEL_PREFIX", reason: "must be up to 20 of a–z 0–9 _, starting with a letter or _")
        }
        return OneWindowEnvironment(databaseURL: database, kafkaBrokers: brokers, topicPrefix: prefix,
                                    httpHost: env["ONEWINDOW_HTTP_HOST"] ?? "127.0.0.1", httpPort: port, readModels: readModels)
    }

    private static func required(_ name: String, _ env: [String: String]) throws(ConfigurationError) -> String {
        guard let value = env[name], !value.isEmpty else {
            throw ConfigurationError(variable: name, reason: "is not set (for the local stack: eval \"$(ops/stack env)\")")
        }
        return value
    }

    private static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return false }
        return colon != text.startIndex && (1...65535).contains(port)
    }
}

/// A configuration value that stops the program at start.
struct ConfigurationError: Error, CustomStringConvertible {
    var variable: String
    var reason: String
    var description: String { "\(variable) \(reason)" }
}
