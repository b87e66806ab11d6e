import Domain

/// One event as it arrived at a door, already parsed and validated by `Domain`, with what the
/// door knows about the sender.
public struct Submission: Sendable {
    /// The validated event, or every problem found in it.
    public var decoded: Result<EventEnvelope, ValidationFailure>
    /// The `source` and `id` as sent, when they could be read even from an invalid event
    /// (needed to record a rejection so `GET /v1/events/{source}/{id}` can answer it).
    public var source: String?
    public var id: String?
    /// The organization the sender authenticated as (the HTTP token's `org`); nil for the
    /// Kafka door, where the broker's authorization is the sender's identity.
    public var publisher: OrganizationID?

    /// A `source` or `id` that cannot be a stored event's (see ``isRecordable(_:)``) is dropped:
    /// the rejection is answered, but not recorded under it.
    public init(decoded: Result<EventEnvelope, ValidationFailure>, source: String?, id: String?, publisher: OrganizationID?) {
        (self.decoded, self.publisher) = (decoded, publisher)
        (self.source, self.id) = (source.flatMap(Self.recordable), id.flatMap(Self.recordable))
    }

    /// Whether `text` can be the `source` or `id` of an event: 1-256 characters (the envelope's
    /// rules) without U+0000. Anything else could not be stored as a rejection's key either
    /// (PostgreSQL text holds no NUL, and its index no key of some kilobytes), and failing to
    /// store it would fail the whole batch.
    public static func isRecordable(_ text: String) -> Bool {
        let bytes = text.utf8.count  // no more characters than bytes: most need no count of characters
        return bytes > 0 && bytes <= 1_024 && (bytes <= 256 || text.unicodeScalars.count <= 256) && !text.utf8.contains(0)
    }

    static func recordable(_ text: String) -> String? { isRecordable(text) ? text : nil }

    /// A structured-mode event parsed from JSON (one element of an HTTP batch, or a Kafka value).
    public init(json value: JSONNode, publisher: OrganizationID?) {
        switch EventEnvelope.decode(value) {
        case .success(let envelope):
            // The two strings first, then the envelope moved in (reading them from `decoded`
            // afterwards copied the whole envelope, every string of it retained and released).
            let (source, id) = (envelope.source, envelope.id)
            self.init(decoded: .success(envelope), source: source, id: id, publisher: publisher)
        case .failure(let failure):
            self.init(decoded: .failure(failure), source: value.member("source")?.stringValue, id: value.member("id")?.stringValue,
                      publisher: publisher)
        }
    }

    /// A structured-mode event built in memory.
    public init(json value: JSONValue, publisher: OrganizationID?) {
        self.init(json: JSONNode(value), publisher: publisher)
    }

    /// A structured-mode event from raw bytes; bytes that are not JSON are rejected at `""`.
    public init(jsonBytes bytes: [UInt8], publisher: OrganizationID?) {
        if let document = try? JSONDocument.parse(bytes) {
            self.init(json: document.root, publisher: publisher)
        } else {
            self.init(decoded: EventEnvelope.decode(json: bytes), source: nil, id: nil, publisher: publisher)
        }
    }

    /// A binary-mode event: `ce_` headers (or `ce-`) and the data bytes.
    public init(headers: [(String, [UInt8])], data: [UInt8], publisher: OrganizationID?) {
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == "ce_" + name || $0.0.lowercased() == "ce-" + name }
                .flatMap { String(validating: $0.1, as: UTF8.self) }
        }
        self.init(decoded: EventEnvelope.decode(headers: headers, data: data), source: header("source"), id: header("id"), publisher: publisher)
    }
}

/// What became of one submitted event, in the order submitted.
public struct IngestResult: Sendable, Hashable {
    /// Stored now; already stored (by `(source, id)`, nothing changed); or refused.
    public enum Status: String, Sendable, Hashable, Codable {
        case accepted, duplicate, rejected
    }

    public var id: String?
    public var source: String?
    public var status: Status
    public var reason: String?
    public var field: String?

    public init(id: String?, source: String?, status: Status, reason: String? = nil, field: String? = nil) {
        (self.id, self.source, self.status, self.reason, self.field) = (id, source, status, reason, field)
    }
}
