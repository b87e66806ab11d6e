/// What the HTTP application needs to start: where to listen and what readiness means.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var readiness: [ReadinessCheck]

    public init(host: String = "127.0.0.1", port: Int = 8080, readiness: [ReadinessCheck] = []) {
        self.host = host
        self.port = port
        self.readiness = readiness
    }
}
