/// A validated CloudEvents 1.0 event from a department: the envelope attributes, OneWindow's
/// extensions (`actor`, `region`, and `personid` on canonical events) and the typed event.
public struct EventEnvelope: Hashable, Sendable {
    /// Unique per source; `(source, id)` identifies the event for duplicate detection.
    public var id: String
    public var source: String
    public var time: EventTime
    /// The organization that did it.
    public var actor: OrganizationID
    /// Where it happened.
    public var region: RegionCode
    public var dataContentType: String?
    public var dataSchema: String?
    public var subject: String?
    /// Set by the intake on canonical events (`personid` extension attribute).
    public var personID: PersonID?
    /// Other CloudEvents extension attributes (e.g. `traceparent`), kept and re-published as given.
    public var extensions: [String: JSONValue]
    public var event: DepartmentEvent

    public init(id: String, source: String, time: EventTime, actor: OrganizationID, region: RegionCode,
                dataContentType: String? = "application/json", dataSchema: String? = nil, subject: String? = nil,
                personID: PersonID? = nil, extensions: [String: JSONValue] = [:], event: DepartmentEvent) {
        (self.id, self.source, self.time, self.actor, self.region) = (id, source, time, actor, region)
        (self.dataContentType, self.dataSchema, self.subject, self.personID) = (dataContentType, dataSchema, subject, personID)
        (self.extensions, self.event) = (extensions, event)
    }

    /// The CloudEvents `type`.
    public var type: EventType { event.type }

    /// The event in structured mode, as a JSON value.
    public var json: JSONValue {
        var m = extensions
        m["specversion"] = .string("1.0")
        m["id"] = .string(id)
        m["source"] = .string(source)
        m["type"] = .string(type.rawValue)
        m["time"] = jsonString(time)
        m["actor"] = jsonString(actor)
        m["region"] = jsonString(region)
        m["datacontenttype"] = dataContentType.map(JSONValue.string)
        m["dataschema"] = dataSchema.map(JSONValue.string)
        m["subject"] = subject.map(JSONValue.string)
        m["personid"] = personID.map(jsonString)
        m["data"] = event.data
        return .object(m)
    }

    /// The event in structured mode as compact UTF-8 JSON with sorted keys (canonical bytes).
    public func encodedJSON() -> [UInt8] { json.encoded() }

    /// The event in binary mode (CloudEvents Kafka binding): `ce_` headers and `content-type`,
    /// plus the `data` bytes as the message value.
    public func encodedBinary() -> (headers: [(String, [UInt8])], data: [UInt8]) {
        guard case .object(var m) = json else { preconditionFailure("an envelope is always an object") }
        let data = m.removeValue(forKey: "data")!.encoded()
        let contentType = m.removeValue(forKey: "datacontenttype")
        var headers: [(String, [UInt8])] = m.keys.sorted().map { key in
            let value: [UInt8] = if case .string(let s) = m[key]! { Array(s.utf8) } else { m[key]!.encoded() }
            return ("ce_" + key, value)
        }
        if case .string(let ct) = contentType { headers.append(("content-type", Array(ct.utf8))) }
        return (headers, data)
    }
}
