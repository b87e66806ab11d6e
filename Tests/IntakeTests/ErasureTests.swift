import Crypto
import Domain
import Foundation
import Intake
import Kafka
import Relay
import Store
import Testing

@Suite("Personal fields are sealed per person, and erasing the person's key shreds them")
struct ErasureTests {
    /// Every personal value of the family example, as sent.
    static let secrets = ["张伟", "411523198807210128", "13800138000", "李娜", "320506199003154322", "张小明"]

    /// Every row of every table of the schema, as text (bytea shows as hex, so search that too).
    static func everyRow(_ stack: IntakeTestStack) async throws -> String {
        let tables = try await stack.texts("SELECT table_name::text FROM information_schema.tables WHERE table_schema = '{schema}'")
        var all = ""
        for table in tables { all += try await stack.texts("SELECT t::text FROM {schema}.\(table) t").joined(separator: "\n") }
        return all
    }

    static func leaked(_ text: String) -> [String] {
        secrets.filter { secret in
            let hex = Array(secret.utf8).map { String(format: "%02x", $0) }.joined()
            return text.contains(secret) || text.contains(hex)
        }
    }

    @Test func storedDataIsCiphertextAndNothingReadableRemainsAfterErase() async throws {
        try await IntakeTestStack.with { stack in
            let example = try Example.named("onewindow.resident.registered.v1/valid-family")
            let results = try await stack.pipeline.ingest([Submission(json: example.event, publisher: "public-security")])
            #expect(results.map(\.status) == [.accepted])
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])

            // The canonical data is ciphertext that the person's key opens.
            let row = try #require(try await stack.texts("SELECT data::text FROM {schema}.events").first)
            let data = try JSONValue.parse(Array(row.utf8))
            #expect(data["name"]?.stringValue?.hasPrefix("enc:v1:") == true)
            #expect(data["identity"]?["number"]?.stringValue?.hasPrefix("enc:v1:") == true)
            #expect(data["sex"] == .string("male"))
            let personText = try #require(try await stack.texts("SELECT stream FROM {schema}.events").first)
            let person = try #require(UUID(uuidString: personText))
            let wrapped = try #require(try await stack.keys.wrappedKey(of: person))
            let key = try stack.protection.unwrap(wrapped, for: person)
            // The spouse, named by identity, is a person of their own: their strings are sealed
            // under their key; the child without an identity stays under the registrant's.
            let spouse = try #require(PersonalFields.holders(in: data).first)
            #expect(PersonalFields.holders(in: data) == [spouse])
            let spouseKey = try stack.protection.unwrap(try #require(try await stack.keys.wrappedKey(of: spouse)), for: spouse)
            let revealed = try PersonalFields.reveal(data, with: key, others: [spouse: spouseKey])
            let marked = try #require(example.event["data"]).setting(["household"], to: .array([
                try #require(example.event["data"]?["household"]?.arrayValue?[0])
                    .setting(["personid"], to: .string(spouse.lowercasedString))
                    .setting(["identity", "personid"], to: .string(spouse.lowercasedString)),
                try #require(example.event["data"]?["household"]?.arrayValue?[1]),
            ]))
            #expect(revealed == marked)

            // Erase: the key and the blind index go; nothing readable is left anywhere.
            #expect(try await PersonErasure.erase(person: person, client: stack.client, store: stack.store, logger: stack.logger))
            #expect(try await stack.keys.wrappedKey(of: person) == nil)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.people WHERE person_id = '\(person)'") == 0)
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])
            // The registration, and the erasure itself as a fact in the person's stream.
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 2)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events WHERE type = 'onewindow.person.erased.v1' AND stream = '\(person.uuidString.lowercased())'") == 1)
            // Again: nothing to delete, and the fact is not repeated.
            #expect(try await !PersonErasure.erase(person: person, client: stack.client, store: stack.store, logger: stack.logger))
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 2)
            #expect(try await !PersonErasure.erase(person: UUID(), client: stack.client, store: stack.store, logger: stack.logger))
            #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 2)

            // The same identity now resolves to a new person.
            let again = example.event.setting(["id"], to: .string("after-erase"))
            #expect(try await stack.pipeline.ingest([Submission(json: again, publisher: "public-security")]).map(\.status) == [.accepted])
            #expect(try await stack.texts("SELECT DISTINCT stream FROM {schema}.events").count == 2)
        }
    }

    /// QUALITY.md: after `onewindow erase`, no name or identity number of that person can be
    /// read. A household member named by identity appears in someone else's registration, and
    /// a beneficiary in someone else's request: erasing them must erase them there too, and
    /// leave the registrant's own strings readable.
    @Test func erasingAHouseholdMemberOrBeneficiaryErasesThemInOtherPeoplesEvents() async throws {
        try await IntakeTestStack.with { stack in
            let registration = try Example.named("onewindow.resident.registered.v1/valid-family").event
            let spouseIdentity = JSONValue.object(["type": .string("resident-id"), "number": .string("320506199003154322")])
            let request = JSONValue.object([
                "specversion": .string("1.0"), "id": .string("req-1"), "source": .string("/orgs/education/desk"),
                "type": .string("onewindow.service.requested.v1"), "time": .string("2026-03-02T09:30:00+08:00"),
                "actor": .string("education"), "region": .string("320505001001"),
                "data": .object([
                    "identity": .object(["type": .string("resident-id"), "number": .string("411523198807210128")]),
                    "requestId": .string("R-1"), "category": .string("education"), "service": .string("school-enrollment"),
                    "beneficiary": spouseIdentity,
                ]),
            ])
            let spouseOwn = registration.setting(["id"], to: .string("reg-spouse")).setting(["data"], to: try #require(registration["data"])
                .setting(["identity"], to: spouseIdentity).setting(["name"], to: .string("李娜")).setting(["sex"], to: .string("female"))
                .setting(["birthDate"], to: .string("1990-03-15")).removing("household"))
            #expect(try await stack.pipeline.ingest([Submission(json: registration, publisher: "public-security")]).map(\.status) == [.accepted])
            #expect(try await stack.pipeline.ingest([Submission(json: request, publisher: "education")]).map(\.status) == [.accepted])
            // The spouse registering later is the person the household created: one key, one stream.
            #expect(try await stack.pipeline.ingest([Submission(json: spouseOwn, publisher: "public-security")]).map(\.status) == [.accepted])
            #expect(try await stack.count("SELECT count(*) FROM {schema}.people") == 2)

            let rows = try await stack.texts("SELECT stream || ' ' || data::text FROM {schema}.events ORDER BY position")
            let parsed = try rows.map { row in
                let space = try #require(row.firstIndex(of: " "))
                return (stream: try #require(UUID(uuidString: String(row[..<space]))), data: try JSONValue.parse(Array(row[row.index(after: space)...].utf8)))
            }
            #expect(parsed.count == 3)
            let registrant = parsed[0].stream, spouse = parsed[2].stream
            #expect(registrant != spouse && parsed[1].stream == registrant)
            #expect(PersonalFields.holders(in: parsed[0].data) == [spouse])
            #expect(PersonalFields.holders(in: parsed[1].data) == [spouse])
            #expect(parsed[0].data["household"]?.arrayValue?[0]["name"]?.stringValue?.hasPrefix("enc:v1:\(spouse.lowercasedString):") == true)
            func key(_ person: UUID) async throws -> SymmetricKey? {
                try await stack.keys.wrappedKey(of: person).map { try stack.protection.unwrap($0, for: person) }
            }
            let registrantKey = try await key(registrant)
            let spouseKey = try #require(try await key(spouse))
            let before = try PersonalFields.reveal(parsed[1].data, with: registrantKey, others: [spouse: spouseKey])
            #expect(before["beneficiary"] == spouseIdentity.setting(["personid"], to: .string(spouse.lowercasedString)))

            #expect(try await PersonErasure.erase(person: spouse, client: stack.client, store: stack.store, logger: stack.logger))
            #expect(try await key(spouse) == nil)
            // Whatever keys are left, the spouse's name and number are gone from both events; the
            // registrant's own strings, and the child's, still open.
            let household = try PersonalFields.reveal(parsed[0].data, with: registrantKey, others: [:])
            let member = try #require(household["household"]?.arrayValue?[0])
            #expect(member["name"] == .null && member["identity"]?["number"] == .null)
            #expect(member["personid"] == .string(spouse.lowercasedString))
            #expect(household["name"] == .string("张伟") && household["household"]?.arrayValue?[1]["name"] == .string("张小明"))
            let requested = try PersonalFields.reveal(parsed[1].data, with: registrantKey, others: [:])
            #expect(requested["beneficiary"]?["number"] == .null)
            #expect(requested["identity"]?["number"] == .string("411523198807210128"))
            #expect(!household.text.contains("李娜") && !household.text.contains("320506199003154322") && !requested.text.contains("320506199003154322"))
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])
        }
    }

    /// The test, on the canonical topic: the relay publishes what the store keeps, so no
    /// byte of a name or identity number is on the person topic (key, value or headers; values
    /// are searched as the consumer receives them, decompressed), and after `erase` the sealed
    /// ones cannot be opened with any key that is left.
    @Test func theCanonicalTopicCarriesNoPersonalValueAndNoneOpensAfterErase() async throws {
        try await IntakeTestStack.with { stack in
            let registration = try Example.named("onewindow.resident.registered.v1/valid-family").event
            #expect(try await stack.pipeline.ingest([Submission(json: registration, publisher: "public-security")]).map(\.status) == [.accepted])
            let naming = TopicNaming(prefix: stack.topics.prefix)
            try await CanonicalTopics.ensure(admin: try KafkaAdmin(configuration: stack.kafkaClient, logger: stack.logger), naming: naming)
            let producer = try stack.producer()
            let relay = OutboxRelay(outbox: Outbox(client: stack.client, configuration: stack.store, logger: stack.logger), producer: producer,
                                    configuration: RelayConfiguration(topics: naming, idleWait: .milliseconds(50)), logger: stack.logger)
            let records = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await producer.run() }
                group.addTask { try await relay.run() }
                defer { group.cancelAll() }
                let consumer = try stack.consumer(topic: naming.name(of: .person), group: stack.topics.prefix + "-reader")
                var records: [KafkaMessage] = []
                let clock = ContinuousClock()
                let end = clock.now.advanced(by: .seconds(60))
                while records.isEmpty, clock.now < end {
                    records += try await consumer.poll(maxMessages: 100, timeout: .milliseconds(200))
                }
                await consumer.close()
                return records
            }
            #expect(records.count == 1)
            for record in records {
                var raw = (record.key ?? []) + record.value
                for header in record.headers { raw += Array(header.key.utf8) + (header.value ?? []) }
                for secret in Self.secrets {
                    let bytes = Array(secret.utf8)
                    #expect(!raw.indices.contains { raw[$0...].starts(with: bytes) }, "\(secret) is on the topic")
                }
            }

            // Erase both people the registration names; whatever keys are left open nothing of theirs.
            let stored = try await stack.texts("SELECT stream FROM {schema}.events")
            let registrant = try #require(stored.first.flatMap(UUID.init(uuidString:)))
            let value = try JSONValue.parse(try #require(records.first).value)
            let data = try #require(value["data"])
            let spouse = try #require(PersonalFields.holders(in: data).first)
            for person in [registrant, spouse] {
                #expect(try await PersonErasure.erase(person: person, client: stack.client, store: stack.store, logger: stack.logger))
            }
            let left = try await stack.keys.wrappedKeys(of: [registrant, spouse])
            #expect(left.isEmpty)
            let revealed = try PersonalFields.reveal(data, with: nil, others: [:])
            // Nothing of either (the child named without an identity went with the registrant's key).
            #expect(Self.leaked(revealed.text) == [])
        }
    }

    @Test func aRejectedEventLeavesNoPersonalValueInTheStore() async throws {
        try await IntakeTestStack.with { stack in
            let example = try Example.named("onewindow.resident.registered.v1/valid-family")
            let wrongSender = try await stack.pipeline.ingest([Submission(json: example.event, publisher: "health")])
            #expect(wrongSender.map(\.status) == [.rejected])
            #expect(Self.leaked(try await Self.everyRow(stack)) == [])
        }
    }
}
