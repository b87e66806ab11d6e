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
    let keys: PersonKeyStore
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
        keys = PersonKeyStore(client: client, configuration: store, logger: logger)
        resolution = PersonResolution(keys: keys, reader: PersonKeyReader(client: client, schema: store.schema, logger: logger),
                                      protection: protection, logger: logger)
        (self.organizations, self.topics, self.logger) = (organizations, topics, logger)
    }

    /// Handles a batch; one result per submission, in order. Throws only when the store cannot
    /// be reached (nothing of the batch is then known to be stored; resending it is safe).
    public func ingest(_ submissions: [Submission]) async throws(IntakeError) -> [IngestResult] {
        var results = submissions.map { IngestResult(id: $0.id, source: $0.source, status: .rejected) }
        var admitted: [(index: Int, envelope: EventEnvelope)] = []
        for (index, submission) in submissions.enumerated() {
            switch Admission.judge(submission, organizations: organizations) {
            case .admit(let envelope): admitted.append((index, envelope))
            case .reject(let error): (results[index].reason, results[index].field) = (error.reason, error.field)
            }
        }
        do {
            let hashes = admitted.map { $0.envelope.event.identity.map(resolution.protection.blindIndex) }
            let people = try await resolution.resolve(admitted.map(\.envelope), hashes: hashes)
            var batch: [BatchedEvent] = []
            var batchIndex: [Int] = []
            for ((index, envelope), hash) in zip(admitted, hashes) {
                var person: KeyedPerson?
                if let hash {
                    guard let found = people[hash] else {
                        (results[index].reason, results[index].field) = ("the person was erased while this event was handled; send it again", "/data/identity")
                        continue
                    }
                    person = found
                }
                batch.append(try CanonicalEvent.make(envelope, person: person, topics: topics))
                batchIndex.append(index)
            }
            for (index, outcome) in zip(batchIndex, try await events.appendBatch(batch)) {
                switch outcome {
                case .appended: results[index].status = .accepted
                case .duplicate: results[index].status = .duplicate
                }
            }
            try await statuses.recordRejections(results.compactMap(Self.rejection))
        } catch let error as DataProtectionError {
            throw .protection(error)
        } catch {
            throw .storeUnavailable(error)
        }
        logger.debug("intake batch", metadata: ["events": "\(submissions.count)", "admitted": "\(admitted.count)"])
        return results
    }

    static func rejection(_ result: IngestResult) -> IngestRejection? {
        guard result.status == .rejected, let source = result.source, let id = result.id else { return nil }
        return IngestRejection(source: source, id: id, reason: result.reason ?? "rejected", field: result.field)
    }

    /// The status of an event sent through either door.
    public func status(source: String, id: String) async throws(IntakeError) -> IngestStatus {
        do { return try await statuses.status(source: source, id: id) } catch { throw .storeUnavailable(error) }
    }

    /// Crypto-shreds a person (for `onewindow erase --person`): deletes their data key and
    /// blind-index entries, so their sealed fields can never be read again. True when a key existed.
    @discardableResult
    public func erase(person: UUID) async throws(IntakeError) -> Bool {
        do { return try await keys.erase(person: person) } catch { throw .storeUnavailable(error) }
    }
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
