/// What the HTTP application needs to start: where to listen and what readiness means.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var readiness: [ReadinessCheck]
    /// The intake's routes (`POST /v1/events`, `GET /v1/events/{source}/{id}`); nil serves none.
    public var intake: IntakeRoutes?

    public init(host: String = "127.0.0.1", port: Int = 8080, readiness: [ReadinessCheck] = [], intake: IntakeRoutes? = nil) {
        self.host = host
        self.port = port
        self.readiness = readiness
        self.intake = intake
    }
}
