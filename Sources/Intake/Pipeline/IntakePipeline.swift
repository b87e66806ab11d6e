import Domain
import Foundation
import Logging
import PostgresNIO
import Store

/// The one pipeline behind both doors: validate and authorize the whole batch in memory,
/// resolve its people in one round trip, seal personal fields, append everything with one
/// `appendBatch`, and record the rejections in one statement. Results come back in order.
public struct IntakePipeline: Sendable {
    let events: EventStore
    let statuses: IngestStatusStore
    let resolution: PersonResolution
    let organizations: OrganizationDirectory
    let topics: IntakeTopics
    let logger: Logger

    /// - Parameters:
    ///   - client: a running `PostgresClient` (the caller runs it as a service).
    ///   - store: the event store's schema.
    ///   - protection: keys derived from `ONEWINDOW_DATA_KEY`.
    ///   - organizations: who may publish what (the organizations file).
    ///   - topics: topic names under `ONEWINDOW_TOPIC_PREFIX`.
    public init(client: PostgresClient, store: StoreConfiguration, protection: DataProtection,
                organizations: OrganizationDirectory, topics: IntakeTopics = IntakeTopics(), logger: Logger) {
        events = EventStore(client: client, configuration: store, logger: logger)
        statuses = IngestStatusStore(client: client, configuration: store, logger: logger)
        resolution = PersonResolution(keys: PersonKeyStore(client: client, configuration: store, logger: logger),
                                      protection: protection, logger: logger)
        (self.organizations, self.topics, self.logger) = (organizations, topics, logger)
    }

    /// Handles a batch; one result per submission, in order. Throws only when the store cannot
    /// be reached (nothing of the batch is then known to be stored; resending it is safe).
    public func ingest(_ submissions: [Submission]) async throws(IntakeError) -> [IngestResult] {
        try await store(try await prepare(submissions))
    }

    /// The first half of ``ingest(_:)``: judges every submission, resolves the batch's people
    /// (creating the new ones) and seals their personal fields. Nothing is appended yet, so a
    /// door may prepare its next batch while the previous one is stored; batches must still be
    /// stored in the order they were prepared for their events to keep that order.
    public func prepare(_ submissions: [Submission]) async throws(IntakeError) -> PreparedBatch {
        var results = submissions.map { IngestResult(id: $0.id, source: $0.source, status: .rejected) }
        var admitted: [(index: Int, envelope: EventEnvelope)] = []
        admitted.reserveCapacity(submissions.count)
        for index in submissions.indices {  // by index: `enumerated()` copied every submission
            switch Admission.judge(submissions[index], organizations: organizations) {
            case .admit(let envelope): admitted.append((index, envelope))
            case .reject(let error): (results[index].reason, results[index].field) = (error.reason, error.field)
            }
        }
        do {
            let indexer = try resolution.protection.blindIndexer()
            let hashes = try admitted.map { (item) throws(DataProtectionError) in try item.envelope.event.identity.map(indexer.index) }
            // The other people each event names by identity (household members, a beneficiary),
            // resolved with the subjects in the same round trip: their strings are sealed under
            // their own keys. Being listed in a registration's household counts as registered.
            let others = try admitted.map { (item) throws(DataProtectionError) in
                try item.envelope.event.otherPeople.map { (identity) throws(DataProtectionError) in (identity, try indexer.index(identity)) }
            }
            var wanted = hashes
            var registrations = admitted.map { $0.envelope.type == .residentRegistered }
            for (k, named) in others.enumerated() where !named.isEmpty {
                wanted.append(contentsOf: named.map(\.1))
                registrations.append(contentsOf: repeatElement(registrations[k], count: named.count))
            }
            let people = try await resolution.resolve(wanted, registrations: registrations)
            var events: [BatchedEvent] = []
            var positions: [Int] = []
            events.reserveCapacity(admitted.count)
            positions.reserveCapacity(admitted.count)
            // By index: an envelope is large, and each copy of one retains every string it holds.
            for k in admitted.indices {
                let (index, hash, named) = (admitted[k].index, hashes[k], others[k])
                var person: KeyedPerson?
                if let hash {
                    guard let found = people[hash] else {
                        (results[index].reason, results[index].field) = ("the person was erased while this event was handled; send it again", "/data/identity")
                        continue
                    }
                    person = found
                }
                var holders: [Identity: PersonalFields.Holder] = [:]
                var erased: String?
                for (identity, otherHash) in named {
                    guard let found = people[otherHash] else { erased = Self.pointer(to: identity, in: admitted[k].envelope.event); break }
                    if found.id != person?.id { holders[identity] = PersonalFields.Holder(person: found.id, key: found.key) }
                }
                if let erased {
                    (results[index].reason, results[index].field) = ("this person was erased while the event was handled; send it again", erased)
                    continue
                }
                events.append(try CanonicalEvent.make(admitted[k].envelope, person: person, others: holders, topics: topics))
                positions.append(index)
            }
            return PreparedBatch(results: results, events: events, positions: positions)
        } catch let error as DataProtectionError {
            throw .protection(error)
        } catch {
            throw .storeUnavailable(error)
        }
    }

    /// The second half of ``ingest(_:)``: appends what ``prepare(_:)`` sealed and records the
    /// rejections. Safe to repeat after a failure (appends are idempotent by source and id).
    public func store(_ prepared: PreparedBatch) async throws(IntakeError) -> [IngestResult] {
        var results = prepared.results
        do {
            for (index, outcome) in zip(prepared.positions, try await events.appendBatch(prepared.events)) {
                switch outcome {
                case .appended: results[index].status = .accepted
                case .duplicate: results[index].status = .duplicate
                }
            }
            try await statuses.recordRejections(results.compactMap(Self.rejection))
        } catch {
            throw .storeUnavailable(error)
        }
        logger.debug("intake batch", metadata: ["events": "\(results.count)", "appended": "\(prepared.events.count)"])
        return results
    }

    /// Where `event` names the other person `identity` (for a rejection's field).
    static func pointer(to identity: Identity, in event: DepartmentEvent) -> String {
        switch event {
        case .residentRegistered(let registration):
            let place = registration.household?.firstIndex { $0.identity == identity } ?? 0
            return "/data/household/\(place)/identity"
        default:
            return "/data/beneficiary"
        }
    }

    static func rejection(_ result: IngestResult) -> IngestRejection? {
        guard result.status == .rejected, let source = result.source, let id = result.id else { return nil }
        return IngestRejection(source: source, id: id, reason: result.reason ?? "rejected", field: result.field)
    }

    /// The status of an event sent through either door.
    public func status(source: String, id: String) async throws(IntakeError) -> IngestStatus {
        // Nothing is stored under a key no event may have (and PostgreSQL refuses a NUL).
        guard Submission.isRecordable(source), Submission.isRecordable(id) else { return .unknown }
        do { return try await statuses.status(source: source, id: id) } catch { throw .storeUnavailable(error) }
    }
}

/// A batch judged, resolved and sealed by ``IntakePipeline/prepare(_:)``, to be stored by
/// ``IntakePipeline/store(_:)``.
public struct PreparedBatch: Sendable {
    /// One per submission; the admitted ones are settled by `store`.
    let results: [IngestResult]
    /// What to append, in submission order.
    let events: [BatchedEvent]
    /// For each of `events`, the index of its submission.
    let positions: [Int]
}

/// Why a batch could not be handled at all (as opposed to an event being rejected).
public enum IntakeError: Error, Sendable, CustomStringConvertible {
    /// PostgreSQL failed or could not be reached; the batch may be resent.
    case storeUnavailable(any Error)
    /// Keys could not be used (a wrong master key, most likely).
    case protection(DataProtectionError)

    public var description: String {
        switch self {
        case .storeUnavailable: "the event store is unavailable"
        case .protection(let error): error.description
        }
    }
}
