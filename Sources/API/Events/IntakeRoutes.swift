import Intake

/// What the event routes need: the pipeline, the token authority, and the limits.
/// Absent from ``APIConfiguration`` (nil), the application serves no event routes.
public struct IntakeRoutes: Sendable {
    public var pipeline: IntakePipeline
    public var tokens: TokenAuthority
    /// The most events one `POST /v1/events` may hold (the contract says 1,000).
    public var maxBatch: Int
    /// The largest body accepted; larger is a 413.
    public var maxBodyBytes: Int

    public init(pipeline: IntakePipeline, tokens: TokenAuthority, maxBatch: Int = 1_000, maxBodyBytes: Int = 16 << 20) {
        (self.pipeline, self.tokens, self.maxBatch, self.maxBodyBytes) = (pipeline, tokens, maxBatch, maxBodyBytes)
    }
}
