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
        let stream: String
        let topic: String
        var sealer: PersonalFields.Sealer?
        if let person {
            stream = person.id.lowercasedString
            topic = topics.person
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
            data: Data(data), metadata: Data(metadata(of: envelope, personID: person == nil ? nil : stream,
                                                       unregistered: person?.unregistered ?? false)),
            topic: topic)
        return BatchedEvent(stream: stream, event: event, newStream: person?.created ?? false)
    }

    /// The event's metadata: its extension attributes, `datacontenttype`, `dataschema` and
    /// `subject` as sent, the `personid` and, for a person not registered, `personRegistered: false`.
    package static func metadata(of envelope: EventEnvelope, personID: String?, unregistered: Bool) -> [UInt8] {
        guard envelope.extensions.isEmpty else {
            return encodedMetadata(members(of: envelope, personID: personID, unregistered: unregistered))
        }
        // Almost every event has no extension: its members are written in their sorted order
        // directly (a list of names and JSON values, sorted, cost ≈ 0.7 µs per event).
        var writer = CanonicalJSON(capacity: 160)
        writer.object { w in
            w.member("datacontenttype", envelope.dataContentType)
            w.member("dataschema", envelope.dataSchema)
            w.member("personRegistered", unregistered ? false : nil)
            w.member("personid", personID)
            w.member("subject", envelope.subject)
        }
        return writer.bytes
    }

    /// The members ``metadata(of:personID:unregistered:)`` writes, as a list.
    package static func members(of envelope: EventEnvelope, personID: String?, unregistered: Bool) -> [(String, JSONValue)] {
        var metadata: [(String, JSONValue)] = envelope.extensions.map { ($0.key, $0.value) }
        if let contentType = envelope.dataContentType { metadata.append(("datacontenttype", .string(contentType))) }
        if let schema = envelope.dataSchema { metadata.append(("dataschema", .string(schema))) }
        if let subject = envelope.subject { metadata.append(("subject", .string(subject))) }
        if let personID { metadata.append(("personid", .string(personID))) }
        if unregistered { metadata.append(("personRegistered", .bool(false))) }
        return metadata
    }

    /// The metadata object with sorted names. Its names are distinct: extension attributes are
    /// never one of the envelope's own attribute names (the decoder keeps those apart).
    package static func encodedMetadata(_ members: [(String, JSONValue)]) -> [UInt8] {
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
