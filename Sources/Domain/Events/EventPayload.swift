/// The `data` of one department event type: read from and written to a closed JSON object,
/// and tied to its entry in `EventType`.
protocol EventPayload: JSONObjectCodable, CanonicalJSONWritable, Hashable {
    static var eventType: EventType { get }
    /// This payload inside the event enum.
    var event: DepartmentEvent { get }
}

extension EventPayload {
    static var objectName: String { "\(eventType.rawValue) data" }
}

func jsonString(_ value: some CustomStringConvertible) -> JSONValue { .string(value.description) }
