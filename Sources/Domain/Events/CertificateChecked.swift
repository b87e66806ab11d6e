/// A department checked a person's document while handling something else.
public struct CertificateChecked: EventPayload {
    public var identity: Identity
    public var certificate: CertificateKind
    public var result: CertificateResult
    public var checkedDuring: String?
    public var validUntil: CalendarDate?

    public init(identity: Identity, certificate: CertificateKind, result: CertificateResult, checkedDuring: String? = nil, validUntil: CalendarDate? = nil) {
        (self.identity, self.certificate, self.result, self.checkedDuring, self.validUntil) = (identity, certificate, result, checkedDuring, validUntil)
    }

    static let eventType = EventType.certificateChecked
    public var event: DepartmentEvent { .certificateChecked(self) }

    static func read(_ r: inout ObjectReader) -> CertificateChecked? {
        let identity = r.required("identity", .identity)
        let certificate = r.required("certificate", .oneOf(CertificateKind.self))
        let result = r.required("result", .oneOf(CertificateResult.self))
        let during = r.optional("checkedDuring", .code)
        let until = r.optional("validUntil", .date)
        guard let identity, let certificate, let result else { return nil }
        return CertificateChecked(identity: identity, certificate: certificate, result: result, checkedDuring: during, validUntil: until)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["identity": identity.json, "certificate": .string(certificate.rawValue), "result": .string(result.rawValue)]
        m["checkedDuring"] = checkedDuring.map(JSONValue.string)
        m["validUntil"] = validUntil.map(jsonString)
        return m
    }
}

extension CertificateChecked: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("certificate", certificate.rawValue)
            w.member("checkedDuring", checkedDuring)
            try w.member("identity", identity)
            w.member("result", result.rawValue)
            w.member("validUntil", validUntil?.description)
        }
    }
}
