import Domain
import Foundation
import Store

/// Turns an admitted department event into what the store appends: the stream and topic its
/// subject decides (a person's events on the person topic keyed by personId, a housing unit's
/// on the housing topic keyed by its id), `data` with personal fields sealed, and the other
/// envelope attributes in `metadata`.
package enum CanonicalEvent {
    /// - Parameters:
    ///   - person: the event's subject, nil for a housing unit.
    ///   - others: the other people the event names by identity (household members, a
    ///     beneficiary), other than the subject: their personal strings are sealed under their keys.
    package static func make(_ envelope: EventEnvelope, person: KeyedPerson?, others: [Identity: PersonalFields.Holder] = [:],
                             topics: IntakeTopics) throws(DataProtectionError) -> BatchedEvent {
        var metadata: [(String, JSONValue)] = envelope.extensions.map { ($0.key, $0.value) }
        if let contentType = envelope.dataContentType { metadata.append(("datacontenttype", .string(contentType))) }
        if let schema = envelope.dataSchema { metadata.append(("dataschema", .string(schema))) }
        if let subject = envelope.subject { metadata.append(("subject", .string(subject))) }
        let stream: String
        let topic: String
        var sealer: PersonalFields.Sealer?
        if let person {
            stream = person.id.lowercasedString
            topic = topics.person
            metadata.append(("personid", .string(stream)))
            if person.unregistered { metadata.append(("personRegistered", .bool(false))) }
            sealer = try PersonalFields.Sealer(key: person.key, others: others)
        } else if case .housingUnitRegistered(let unit) = envelope.event {
            stream = unit.housingUnitID  // a housing unit has no personal fields
            topic = topics.housing
        } else {
            preconditionFailure("every department event names a person or a housing unit")
        }
        let data: [UInt8]
        do {
            data = try envelope.event.canonicalData(personal: sealer)
        } catch let error as DataProtectionError {
            throw error
        } catch {
            throw .sealFailed
        }
        let event = NewEvent(
            id: envelope.id, source: envelope.source, type: envelope.type.rawValue, time: envelope.time.date,
            actor: envelope.actor.text, region: envelope.region.text,
            data: Data(data), metadata: Data(encodedMetadata(metadata)), topic: topic)
        return BatchedEvent(stream: stream, event: event, newStream: person?.created ?? false)
    }

    /// The metadata object with sorted names. Its names are distinct: extension attributes are
    /// never one of the envelope's own attribute names (the decoder keeps those apart).
    static func encodedMetadata(_ members: [(String, JSONValue)]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(160)
        for (n, (name, value)) in members.sorted(by: { $0.0 < $1.0 }).enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            value.write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
