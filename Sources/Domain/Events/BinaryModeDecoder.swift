extension EventEnvelope {
    /// Decodes one event in CloudEvents binary mode: attributes in `ce_` headers (Kafka; `ce-` for HTTP
    /// is accepted too, names case-insensitive), `content-type` for `datacontenttype`, and the data bytes.
    public static func decode(headers: [(String, [UInt8])], data: [UInt8]) -> Result<EventEnvelope, ValidationFailure> {
        var errors: [ValidationError] = []
        var members: [String: JSONValue] = [:]
        for (name, bytes) in headers {
            let lower = name.lowercased()
            let key: String
            if lower.hasPrefix("ce_") || lower.hasPrefix("ce-") {
                key = String(lower.dropFirst(3))
            } else if lower == "content-type" {
                key = "datacontenttype"
            } else {
                continue
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                errors.append(ValidationError(field: JSONPointer.appending("", key), reason: "the header \(name) is not UTF-8 text"))
                continue
            }
            members[key] = .string(text)
        }
        if !data.isEmpty {
            do {
                members["data"] = try JSONValue.parse(data)
            } catch {
                errors.append(ValidationError(field: "/data", reason: "the message value is not JSON (\(error.description))"))
            }
        }
        switch decode(.object(members)) {
        case .success(let envelope) where errors.isEmpty: return .success(envelope)
        case .success: return .failure(ValidationFailure(errors))
        case .failure(let failure):
            let reported = Set(errors.map(\.field))
            return .failure(ValidationFailure(errors + failure.errors.filter { !reported.contains($0.field) }))
        }
    }

    /// Binary mode with headers already decoded as text (e.g. from an HTTP server).
    public static func decode(headers: [String: String], data: [UInt8]) -> Result<EventEnvelope, ValidationFailure> {
        decode(headers: headers.map { ($0.key, Array($0.value.utf8)) }, data: data)
    }
}
