/// Everything the store needs to know, parsed once at start and passed down explicitly.
public struct StoreConfiguration: Sendable {
    /// The schema holding the store's tables; `store` in production, a private one per test.
    public var schema: SchemaName
    /// The most events one `EventStore.read` or `Outbox.read` call returns, whatever the caller asks for.
    public var maximumReadLimit: Int

    /// - Parameters:
    ///   - schema: defaults to `store`.
    ///   - maximumReadLimit: defaults to 10,000 events per read.
    public init(schema: SchemaName = .store, maximumReadLimit: Int = 10_000) {
        self.schema = schema
        self.maximumReadLimit = max(1, maximumReadLimit)
    }
}
