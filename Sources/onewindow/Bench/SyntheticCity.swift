import Crypto
import Domain
import Foundation
import Intake
import Kafka
import Relay
import Store

/// The synthetic city of `bench rebuild` and `bench latency`: ``CityGenerator``'s events as
/// canonical records exactly as the relay publishes them (`CloudEventRecord.make` of an
/// in-memory `RecordedEvent`), with the personal fields sealed under a per-person key whose
/// wrapped form goes to the store, so a view that reveals (education.children) decrypts as it
/// would in production. (Household members stay under the registrant's key here: the bench
/// skips the intake that would resolve them.)
struct SyntheticCity {
    let protection: DataProtection
    let naming: TopicNaming
    private var generator: CityGenerator
    /// The global position of the last event made.
    private(set) var position: Int64 = 0
    private var versions: [String: Int64] = [:]

    init(protection: DataProtection, naming: TopicNaming, label: String) {
        (self.protection, self.naming) = (protection, naming)
        generator = CityGenerator(label: label)
    }

    struct Chunk {
        var records: [KafkaOutgoingMessage] = []
        /// The people of the chunk for the store's key table (blind hash → id and wrapped key).
        var people: [BlindHash: NewPerson] = [:]
    }

    /// The personId of the `index`th person of this run.
    func personID(_ index: Int) -> String { generator.personID(index) }

    /// The records of people `range` (a person's events never cross chunks).
    mutating func chunk(people range: Range<Int>) throws -> Chunk {
        var chunk = Chunk()
        var keys: [Int: SymmetricKey] = [:]
        for index in range {
            let key = protection.newPersonKey()
            let uuid = UUID(uuidString: personID(index))!
            keys[index] = key
            chunk.people[BlindHash(Array(SHA256.hash(data: Data("\(generator.label)-\(index)".utf8))))!] =
                NewPerson(id: uuid, wrappedKey: try protection.wrap(key, for: uuid))
        }
        versions.removeAll(keepingCapacity: true)
        let events = generator.chunk(people: range)
        chunk.records.reserveCapacity(events.count)
        for event in events { chunk.records.append(try record(event, key: event.person.flatMap { keys[$0] })) }
        return chunk
    }

    private mutating func record(_ city: CityEvent, key: SymmetricKey?) throws -> KafkaOutgoingMessage {
        position += 1
        let version = (versions[city.stream] ?? 0) + 1
        versions[city.stream] = version
        let sealed = try key.map { try PersonalFields.protectedJSON(city.data, with: $0) } ?? city.data.encoded()
        var metadata: [String: JSONValue] = ["datacontenttype": .string("application/json")]
        if city.topic == .person { metadata["personid"] = .string(city.stream) }
        let event = RecordedEvent(
            position: position, stream: city.stream, streamVersion: version, id: city.id,
            source: city.source, type: city.type, time: city.time, recordedAt: city.time, actor: city.actor, region: city.region,
            data: Data(sealed), metadata: Data(JSONValue.object(metadata).encoded()))
        return CloudEventRecord.make(OutboxMessage(topic: "onewindow.\(city.topic.rawValue)", key: city.stream, event: event), naming: naming)
    }
}
