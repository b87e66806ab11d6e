import Domain
import Foundation
import Store

/// Turns an admitted department event into what the store appends: the stream and topic its
/// subject decides (a person's events on the person topic keyed by personId, a housing unit's
/// on the housing topic keyed by its id), `data` with personal fields sealed, and the other
/// envelope attributes in `metadata`.
package enum CanonicalEvent {
    package static func make(_ envelope: EventEnvelope, person: KeyedPerson?, topics: IntakeTopics) throws(DataProtectionError) -> BatchedEvent {
        var metadata = envelope.extensions
        metadata["datacontenttype"] = envelope.dataContentType.map(JSONValue.string)
        metadata["dataschema"] = envelope.dataSchema.map(JSONValue.string)
        metadata["subject"] = envelope.subject.map(JSONValue.string)
        let stream: String
        let topic: String
        let data: [UInt8]
        if let person {
            stream = person.id.lowercasedString
            topic = topics.person
            metadata["personid"] = .string(stream)
            if person.unregistered { metadata["personRegistered"] = .bool(false) }
            data = try PersonalFields.protectedJSON(envelope.event.data, with: person.key)
        } else if case .housingUnitRegistered(let unit) = envelope.event {
            stream = unit.housingUnitID
            topic = topics.housing
            data = envelope.event.data.encoded()
        } else {
            preconditionFailure("every department event names a person or a housing unit")
        }
        let event = NewEvent(
            id: envelope.id, source: envelope.source, type: envelope.type.rawValue, time: envelope.time.date,
            actor: envelope.actor.text, region: envelope.region.text,
            data: Data(data), metadata: Data(JSONValue.object(metadata).encoded()), topic: topic)
        return BatchedEvent(stream: stream, event: event)
    }
}
