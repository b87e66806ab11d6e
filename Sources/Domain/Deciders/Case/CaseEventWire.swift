import Foundation

/// The CloudEvents `type` of each case event: the one table of their names. OneWindow emits them
/// itself, so they are not department `EventType`s and the intake never accepts them.
public enum CaseEventType: String, CaseIterable, Sendable {
    case opened = "onewindow.case.opened.v1"
    case assigned = "onewindow.case.assigned.v1"
    case referred = "onewindow.case.referred.v1"
    case accepted = "onewindow.case.accepted.v1"
    case declined = "onewindow.case.declined.v1"
    case noted = "onewindow.case.noted.v1"
    case escalated = "onewindow.case.escalated.v1"
    case resolved = "onewindow.case.resolved.v1"
    case reopened = "onewindow.case.reopened.v1"
    case closed = "onewindow.case.closed.v1"
}

extension CaseEvent {
    /// The CloudEvents type of this event.
    public var type: CaseEventType {
        switch self {
        case .opened: .opened
        case .assigned: .assigned
        case .referred: .referred
        case .accepted: .accepted
        case .declined: .declined
        case .noted: .noted
        case .escalated: .escalated
        case .resolved: .resolved
        case .reopened: .reopened
        case .closed: .closed
        }
    }

    /// When the step was taken: the event's CloudEvents `time`.
    public var at: Date {
        switch self {
        case .opened(let o): o.at
        case .assigned(_, _, _, let at), .referred(_, _, _, let at), .accepted(_, let at), .declined(_, _, let at),
             .noted(_, _, _, let at), .escalated(_, _, let at), .resolved(_, _, let at), .reopened(_, _, let at), .closed(_, let at): at
        }
    }
}

/// Case events on the wire (Events/schemas/onewindow.case.*.v1.schema.json): the CloudEvents `type`
/// and `data`, with the event's `at` as the CloudEvents `time`. A `CaseEvent` does not hold its case
/// id (the stream is the case), so encoding takes it and decoding returns it.
public enum CaseEventWire {
    /// The `type` and `data` of `event` in the case `caseID` (an opened event must name the same case).
    public static func encode(_ event: CaseEvent, caseID: CaseID) -> (type: String, data: JSONValue) {
        if case .opened(let o) = event { precondition(o.caseID == caseID, "an opened event belongs to the case it opens") }
        var members = members(of: event)
        members["caseId"] = jsonString(caseID)
        return (event.type.rawValue, .object(members))
    }

    /// Reads a case event from its `type`, `data` and `time` (`at`); every problem is returned, each
    /// naming its field as a pointer into the CloudEvent (`/type`, `/data/dueAt`).
    public static func decode(type: String, data: JSONValue, at: Date) -> Result<(caseID: CaseID, event: CaseEvent), ValidationFailure> {
        var errors: [ValidationError] = []
        let reader = ObjectReader(JSONNode(data), at: FieldPath("/data"), errors: &errors)
        guard let known = CaseEventType(rawValue: type) else {
            errors.append(ValidationError(field: "/type", reason: "must be a case event type, one of \(allowedTypes)"))
            return .failure(ValidationFailure(errors))
        }
        guard var reader else { return .failure(ValidationFailure(errors)) }
        let caseID = reader.required("caseId", .caseID)
        let event = read(known, of: caseID, &reader, at: at)
        reader.rejectUnknown(in: "\(type) data")
        guard reader.finish(into: &errors), let caseID, let event else { return .failure(ValidationFailure(errors)) }
        return .success((caseID, event))
    }

    static let allowedTypes = CaseEventType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    /// The members of `data` besides `caseId`.
    static func members(of event: CaseEvent) -> [String: JSONValue] {
        switch event {
        case .opened(let o):
            var m: [String: JSONValue] = ["kind": .string(o.kind), "priority": .string(o.priority.rawValue),
                                          "dueAt": .string(CaseTime.text(o.due)), "by": .string(CaseActor.office.wireName)]
            m["personId"] = o.personID.map(jsonString)
            m["otherRegion"] = o.otherRegion.map(jsonString)
            return m
        case .assigned(let to, let by, let due, _), .referred(let to, let by, let due, _):
            return ["assignee": jsonString(to), "by": .string(by.wireName), "dueAt": .string(CaseTime.text(due))]
        case .accepted(let by, _):
            return ["by": jsonString(by)]
        case .declined(let by, let reason, _):
            return ["by": jsonString(by), "reason": .string(reason)]
        case .noted(let noteID, let by, let text, _):
            return ["noteId": .string(noteID), "by": .string(by.wireName), "text": .string(text)]
        case .escalated(let reason, let by, _):
            return ["reason": .string(reason.rawValue), "by": .string(by.wireName)]
        case .resolved(let by, let outcome, _):
            return ["by": .string(by.wireName), "outcome": .string(outcome)]
        case .reopened(let by, let reason, _):
            return ["by": .string(by.wireName), "reason": .string(reason)]
        case .closed(let by, _):
            return ["by": .string(by.wireName)]
        }
    }

    /// Reads the members of `type` besides `caseId` (the rules of its schema, one by one).
    static func read(_ type: CaseEventType, of caseID: CaseID?, _ r: inout ObjectReader, at: Date) -> CaseEvent? {
        switch type {
        case .opened:
            let kind = r.required("kind", .code)
            let person = r.optional("personId", EnvelopeReading.personIDRule)
            let priority = r.required("priority", .oneOf(CasePriority.self))
            let due = r.required("dueAt", .instant)
            let other = r.optional("otherRegion", .region)
            let by = r.required("by", .openedBy)
            guard let caseID, let kind, let priority, let due, by != nil else { return nil }
            return .opened(CaseOpened(caseID: caseID, kind: kind, personID: person, priority: priority, due: due, otherRegion: other, at: at))
        case .assigned, .referred:
            let assignee = r.required("assignee", .caseOrganization)
            let by = r.required("by", .caseActor)
            let due = r.required("dueAt", .instant)
            guard let assignee, let by, let due else { return nil }
            return type == .assigned ? .assigned(to: assignee, by: by, due: due, at: at) : .referred(to: assignee, by: by, due: due, at: at)
        case .accepted:
            return r.required("by", .caseOrganization).map { .accepted(by: $0, at: at) }
        case .declined:
            let by = r.required("by", .caseOrganization)
            let reason = r.required("reason", .caseText)
            guard let by, let reason else { return nil }
            return .declined(by: by, reason: reason, at: at)
        case .noted:
            let noteID = r.required("noteId", .recordID)
            let by = r.required("by", .caseActor)
            let text = r.required("text", .noteText)
            guard let noteID, let by, let text else { return nil }
            return .noted(noteID: noteID, by: by, text: text, at: at)
        case .escalated:
            let reason = r.required("reason", .oneOf(EscalationReason.self))
            let by = r.required("by", .caseActor)
            guard let reason, let by else { return nil }
            return .escalated(reason: reason, by: by, at: at)
        case .resolved:
            let by = r.required("by", .caseActor)
            let outcome = r.required("outcome", .caseText)
            guard let by, let outcome else { return nil }
            return .resolved(by: by, outcome: outcome, at: at)
        case .reopened:
            let by = r.required("by", .caseActor)
            let reason = r.required("reason", .caseText)
            guard let by, let reason else { return nil }
            return .reopened(by: by, reason: reason, at: at)
        case .closed:
            return r.required("by", .caseActor).map { .closed(by: $0, at: at) }
        }
    }
}
