import Domain

/// The pure first step of the pipeline: validation results plus the sender's authority.
/// An event is admitted when it is valid, its `actor` is the authenticated publisher (HTTP),
/// and the organizations file lets that actor publish its type.
enum Admission {
    enum Verdict: Sendable {
        case admit(EventEnvelope)
        case reject(ValidationError)
    }

    static func judge(_ submission: Submission, organizations: OrganizationDirectory) -> Verdict {
        switch submission.decoded {
        case .failure(let failure):
            return .reject(failure.first)
        case .success(let envelope):
            if let publisher = submission.publisher, publisher != envelope.actor {
                return .reject(ValidationError(field: "/actor", reason: "must be the organization of the caller's token (\(publisher))"))
            }
            if let refusal = organizations.refusal(actor: envelope.actor, type: envelope.type) { return .reject(refusal) }
            return .admit(envelope)
        }
    }
}
