extension EventEnvelope {
    /// Decodes one event in CloudEvents structured JSON mode; every problem found is returned, each naming its field.
    public static func decode<C: Collection>(json bytes: C) -> Result<EventEnvelope, ValidationFailure> where C.Element == UInt8 {
        do {
            return decode(try JSONDocument.parse(bytes).root)
        } catch {
            return .failure(ValidationFailure([ValidationError(field: "", reason: "the event is not JSON (\(error.description))")]))
        }
    }

    /// Validates an already parsed event (one element of a batch, for instance).
    public static func decode(_ value: JSONNode) -> Result<EventEnvelope, ValidationFailure> {
        // Checked first: a NUL would make every later step fail in PostgreSQL, not here.
        if let field = value.pointerToNUL {
            return .failure(ValidationFailure([ValidationError(field: field, reason: "must not contain the character U+0000 (NUL), in a value or in a member name")]))
        }
        var errors: [ValidationError] = []
        let envelope = EnvelopeReading.read(value, errors: &errors)
        if let envelope, errors.isEmpty { return .success(envelope) }
        return .failure(ValidationFailure(errors))
    }

    /// Validates an event built in memory.
    public static func decode(_ value: JSONValue) -> Result<EventEnvelope, ValidationFailure> {
        decode(JSONNode(value))
    }
}

/// The rules of Events/schemas/envelope.schema.json, one by one.
enum EnvelopeReading {
    static let known = ["specversion", "id", "source", "type", "time", "actor", "region",
                        "datacontenttype", "dataschema", "subject", "personid", "data"]

    static func read(_ value: JSONNode, errors: inout [ValidationError]) -> EventEnvelope? {
        guard var r = ObjectReader(value, at: FieldPath(""), errors: &errors) else {
            errors = [ValidationError(field: "", reason: "a CloudEvent must be a JSON object")]
            return nil
        }
        _ = r.required("specversion", specVersion)
        let id = r.required("id", idRule)
        let source = r.required("source", sourceRule)
        let type = r.required("type", .oneOf(EventType.self))
        let time = r.required("time", timeRule)
        let actor = r.required("actor", .organization)
        let region = r.required("region", .region)
        let contentType = r.optional("datacontenttype", contentTypeRule)
        let schema = r.optional("dataschema", schemaRule)
        let subject = r.optional("subject", subjectRule)
        let person = r.optional("personid", personIDRule)
        let event = r.required("data", dataRule(type))
        var extensions: [String: JSONValue] = [:]
        // In the common case every member was one of the attributes just read: nothing more to check.
        if !r.allMembersAsked {
            var nameErrors: [ValidationError] = []
            value.forEachMember { key, member in
                if !isAttributeName(key) {
                    nameErrors.append(ValidationError(field: JSONPointer.appending("", key),
                                                      reason: "is not a CloudEvents attribute name (1-20 lowercase letters or digits); binary data (data_base64) is not accepted, send JSON data"))
                }
                guard !known.contains(key) else { return }
                let v = member.value
                if isScalarAttribute(v) {
                    extensions[key] = v
                } else if case .number = v {
                    r.errors.append(ValidationError(field: JSONPointer.appending("", key), reason: "an extension attribute's number must be a whole number from -2147483648 to 2147483647 (a CloudEvents integer)"))
                } else {
                    r.errors.append(ValidationError(field: JSONPointer.appending("", key), reason: "an extension attribute must be a string, integer or boolean, got \(v.kindName)"))
                }
            }
            r.errors.insert(contentsOf: nameErrors, at: 0)
        }
        guard r.finish(into: &errors), let id, let source, let time, let actor, let region, let event else { return nil }
        return EventEnvelope(id: id, source: source, time: time, actor: actor, region: region, dataContentType: contentType,
                             dataSchema: schema, subject: subject, personID: person, extensions: extensions, event: event)
    }

    /// `propertyNames`: CloudEvents attribute names are 1-20 lowercase letters or digits.
    static func isAttributeName(_ key: String) -> Bool {
        let b = key.utf8
        return (1...20).contains(b.count) && b.allSatisfy(ASCII.isLowerAlnum)
    }

    /// A CloudEvents attribute value: a string, a boolean or an integer, which CloudEvents
    /// bounds to 32 bits (a larger one could not be published as an attribute).
    static func isScalarAttribute(_ v: JSONValue) -> Bool {
        switch v {
        case .string, .bool: true
        case .number(let d): d.rounded() == d && d >= -2_147_483_648 && d <= 2_147_483_647
        default: false
        }
    }

    // The rules are built once: a rule made per use allocated its closures for every event.
    static let idRule = FieldRule.text(1...256, "an event id")
    static let sourceRule = FieldRule.text(1...256, "a source URI-reference")
    static let timeRule = FieldRule.fromString { (s: String) throws(InvalidValue) -> EventTime in try EventTime(s) }
    static let schemaRule = FieldRule.text(1...512, "a schema URI")
    static let subjectRule = FieldRule.text(1...256, "a subject")

    static let specVersion = FieldRule<String> { value, at, errors in
        if value.isString("1.0") { return "1.0" }
        errors.append(ValidationError(field: at.pointer, reason: "must be \"1.0\" (CloudEvents 1.0)"))
        return nil
    }

    static let contentTypeRule = FieldRule<String> { value, at, errors in
        for allowed in ["application/json", "application/json; charset=utf-8"] where value.isString(allowed) { return allowed }
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
            let event = type.readEvent(&reader)
            reader.rejectUnknown(in: type.payloadType.objectName)
            return reader.finish(into: &errors) ? event : nil
        }
    }
}
