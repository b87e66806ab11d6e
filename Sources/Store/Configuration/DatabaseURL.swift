import Foundation
import PostgresNIO

/// A parsed `postgres://user[:password]@host[:port]/database` address, as found in
/// `ONEWINDOW_DATABASE_URL`.
public struct DatabaseURL: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    /// Parses `string`; throws ``StoreError/invalidDatabaseURL`` (which never echoes the value,
    /// since it may hold a password).
    public init(_ string: String) throws(StoreError) {
        guard let components = URLComponents(string: string),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty
        else { throw .invalidDatabaseURL }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw .invalidDatabaseURL }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
    }

    /// The same server and credentials, another database (used to create or drop databases).
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// A `PostgresClient` configuration for this address. TLS is disabled for loopback hosts and
    /// preferred elsewhere. Every connection starts with `jit=off`: OneWindow's statements are
    /// short or run once over a batch, and LLVM compilation (PostgreSQL's default above a plan
    /// cost of 100,000) took longer than the statements it compiled (see store migration 11).
    public func clientConfiguration(maximumConnections: Int = 20) -> PostgresClient.Configuration {
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: loopback ? .disable : .prefer(.makeClientConfiguration())
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [("jit", "off")]
        return configuration
    }
}
