extension EventEnvelope {
    /// Decodes one event in CloudEvents structured JSON mode; every problem found is returned, each naming its field.
    public static func decode<C: Collection>(json bytes: C) -> Result<EventEnvelope, ValidationFailure> where C.Element == UInt8 {
        do {
            return decode(try JSONValue.parse(bytes))
        } catch {
            return .failure(ValidationFailure([ValidationError(field: "", reason: "the event is not JSON (\(error.description))")]))
        }
    }

    /// Validates an already parsed event (one element of a batch, for instance).
    public static func decode(_ value: JSONValue) -> Result<EventEnvelope, ValidationFailure> {
        var errors: [ValidationError] = []
        let envelope = EnvelopeReading.read(value, errors: &errors)
        if let envelope, errors.isEmpty { return .success(envelope) }
        return .failure(ValidationFailure(errors))
    }
}

/// The rules of Events/schemas/envelope.schema.json, one by one.
enum EnvelopeReading {
    static let known: Set = ["specversion", "id", "source", "type", "time", "actor", "region",
                             "datacontenttype", "dataschema", "subject", "personid", "data"]

    static func read(_ value: JSONValue, errors: inout [ValidationError]) -> EventEnvelope? {
        guard var r = ObjectReader(value, at: FieldPath(""), errors: &errors), let members = value.objectValue else {
            errors = [ValidationError(field: "", reason: "a CloudEvent must be a JSON object")]
            return nil
        }
        checkNames(members, into: &r)
        _ = r.required("specversion", specVersion)
        let id = r.required("id", .text(1...256, "an event id"))
        let source = r.required("source", .text(1...256, "a source URI-reference"))
        let type = r.required("type", .oneOf(EventType.self))
        let time = r.required("time", FieldRule.fromString { (s: String) throws(InvalidValue) -> EventTime in try EventTime(s) })
        let actor = r.required("actor", .organization)
        let region = r.required("region", .region)
        let contentType = r.optional("datacontenttype", contentTypeRule)
        let schema = r.optional("dataschema", .text(1...512, "a schema URI"))
        let subject = r.optional("subject", .text(1...256, "a subject"))
        let person = r.optional("personid", personIDRule)
        let event = r.required("data", dataRule(type))
        var extensions: [String: JSONValue] = [:]
        for (key, v) in members where !known.contains(key) {
            if isScalarAttribute(v) {
                extensions[key] = v
            } else {
                r.errors.append(ValidationError(field: JSONPointer.appending("", key), reason: "an extension attribute must be a string, integer or boolean, got \(v.kindName)"))
            }
        }
        guard r.finish(into: &errors), let id, let source, let time, let actor, let region, let event else { return nil }
        return EventEnvelope(id: id, source: source, time: time, actor: actor, region: region, dataContentType: contentType,
                             dataSchema: schema, subject: subject, personID: person, extensions: extensions, event: event)
    }

    /// `propertyNames`: CloudEvents attribute names are 1-20 lowercase letters or digits.
    static func checkNames(_ members: [String: JSONValue], into r: inout ObjectReader) {
        for key in members.keys {
            let b = key.utf8
            if !(1...20).contains(b.count) || !b.allSatisfy(ASCII.isLowerAlnum) {
                r.errors.append(ValidationError(field: JSONPointer.appending("", key),
                                                reason: "is not a CloudEvents attribute name (1-20 lowercase letters or digits); binary data (data_base64) is not accepted, send JSON data"))
            }
        }
    }

    static func isScalarAttribute(_ v: JSONValue) -> Bool {
        switch v {
        case .string, .bool: true
        case .number(let d): d.rounded() == d
        default: false
        }
    }

    static let specVersion = FieldRule<String> { value, at, errors in
        if value == .string("1.0") { return "1.0" }
        errors.append(ValidationError(field: at.pointer, reason: "must be \"1.0\" (CloudEvents 1.0)"))
        return nil
    }

    static let contentTypeRule = FieldRule<String> { value, at, errors in
        if let s = value.stringValue, s == "application/json" || s == "application/json; charset=utf-8" { return s }
        errors.append(ValidationError(field: at.pointer, reason: "must be \"application/json\" (or with \"; charset=utf-8\"); data is JSON"))
        return nil
    }

    static let personIDRule = FieldRule.fromString { (s: String) throws(InvalidValue) -> PersonID in
        let id = try PersonID(s)
        guard id.description == s else { throw InvalidValue("a person id is a lowercase UUID") }
        return id
    }

    /// `data`: an object always; read as the payload of `type` when the type is known.
    static func dataRule(_ type: EventType?) -> FieldRule<DepartmentEvent> {
        FieldRule { value, at, errors in
            guard var reader = ObjectReader(value, at: at, errors: &errors) else { return nil }
            guard let type else { return nil }
            let payload = type.payloadType.read(&reader)
            reader.rejectUnknown(in: type.payloadType.objectName)
            return reader.finish(into: &errors) ? payload?.event : nil
        }
    }
}
