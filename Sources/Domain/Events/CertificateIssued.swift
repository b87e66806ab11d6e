/// A certificate was issued or re-issued (usually by the region of origin).
public struct CertificateIssued: EventPayload {
    public var identity: Identity
    public var certificate: CertificateKind
    public var validUntil: CalendarDate?

    public init(identity: Identity, certificate: CertificateKind, validUntil: CalendarDate? = nil) {
        (self.identity, self.certificate, self.validUntil) = (identity, certificate, validUntil)
    }

    static let eventType = EventType.certificateIssued
    public var event: DepartmentEvent { .certificateIssued(self) }

    static func read(_ r: inout ObjectReader) -> CertificateIssued? {
        let identity = r.required("identity", .identity)
        let certificate = r.required("certificate", .oneOf(CertificateKind.self))
        let until = r.optional("validUntil", .date)
        guard let identity, let certificate else { return nil }
        return CertificateIssued(identity: identity, certificate: certificate, validUntil: until)
    }

    var jsonMembers: [String: JSONValue] {
        var m: [String: JSONValue] = ["identity": identity.json, "certificate": .string(certificate.rawValue)]
        m["validUntil"] = validUntil.map(jsonString)
        return m
    }
}

extension CertificateIssued: CanonicalJSONWritable {
    /// The members of ``jsonMembers`` in sorted order; personal ones through the writer's sealer.
    package func writeCanonical(_ w: inout CanonicalJSON) throws {
        try w.object { w in
            w.member("certificate", certificate.rawValue)
            try w.member("identity", identity)
            w.member("validUntil", validUntil?.description)
        }
    }
}
