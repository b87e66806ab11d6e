import Foundation
import Store
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test func migratingTwiceAppliesEachMigrationOnce() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = StoreMigrations.set(for: stack.configuration)
            let first = try await stack.migrator.migrate([set])
            #expect(first.map(\.version) == set.migrations.map(\.version))
            let second = try await stack.migrator.migrate([set])
            #expect(second.isEmpty)
            #expect(try await stack.count("SELECT count(*) FROM {schema}.schema_migrations") == Int64(set.migrations.count))
        }
    }

    /// Migration 6 merges a person's key and blind-index entry into one row of `people`,
    /// losing no key: a key without an entry keeps a null hash.
    @Test func peopleStoredBeforeMigration6KeepTheirKeysAndStillResolve() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = StoreMigrations.set(for: stack.configuration)
            let before = MigrationSet(schema: stack.configuration.schema, migrations: set.migrations.filter { $0.version < 6 })
            _ = try await stack.migrator.migrate([before])
            let (indexed, unindexed) = (UUID(), UUID())
            try await stack.execute("""
                INSERT INTO {schema}.person_keys (person_id, wrapped_key) VALUES
                    ('\(indexed)', '\\x0102'), ('\(unindexed)', '\\x0304')
                """)
            let hash = BlindHash(Array(repeating: 0xAA, count: 32))!
            try await stack.execute("INSERT INTO {schema}.identity_index (blind_hash, person_id) VALUES ('\\x\(String(repeating: "aa", count: 32))', '\(indexed)')")
            #expect(try await stack.migrator.migrate([set]).map(\.version) == set.migrations.map(\.version).filter { $0 >= 6 })

            #expect(try await stack.count("SELECT count(*) FROM {schema}.people") == 2)
            #expect(try await stack.keys.wrappedKey(of: indexed) == Data([1, 2]))
            #expect(try await stack.keys.wrappedKey(of: unindexed) == Data([3, 4]))
            let known = try await stack.keys.knownPeople([hash])
            #expect(known[hash]?.id == indexed)
            #expect(try await stack.count("SELECT count(*) FROM pg_tables WHERE schemaname = '\(stack.schema)' AND tablename IN ('person_keys', 'identity_index')") == 0)
        }
    }

    /// Migration 8 moves each outbox row's topic into its event and drops the outbox: events
    /// appended before it are relayed as they would have been, to the same topics with the same
    /// keys, and an event without an outbox row stays unpublished.
    @Test func eventsAppendedBeforeMigration8KeepTheirTopics() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = StoreMigrations.set(for: stack.configuration)
            let before = MigrationSet(schema: stack.configuration.schema, migrations: set.migrations.filter { $0.version < 8 })
            _ = try await stack.migrator.migrate([before])
            try await Self.appendAsBeforeMigration9(stack, [
                ("person-a", "1", "onewindow.person"), ("case-b", "2", "onewindow.case"), ("person-a", "3", nil),
            ])
            #expect(try await stack.count("SELECT count(*) FROM {schema}.outbox") == 2)
            #expect(try await stack.migrator.migrate([set]).map(\.version).first == 8)

            let read = try await stack.outbox.read(after: 0, limit: 10)
            #expect(read.messages.map(\.event.id) == ["1", "2"])
            #expect(read.messages.map(\.topic) == ["onewindow.person", "onewindow.case"])
            #expect(read.messages.map(\.key) == ["person-a", "case-b"])
            #expect(read.lastPosition == (try await stack.count("SELECT position FROM {schema}.events WHERE event_id = '3'")))
            #expect(try await stack.count("SELECT count(*) FROM pg_tables WHERE schemaname = '\(stack.schema)' AND tablename = 'outbox'") == 0)
            // Appends after the migration record their topic in the event.
            _ = try await stack.events.appendBatch([BatchedEvent(stream: "person-a", event: Fixture.event(id: "4", topic: "onewindow.person"))])
            #expect(try await stack.outbox.read(after: read.lastPosition!, limit: 10).messages.map(\.event.id) == ["4"])
        }
    }

    /// An event with two outbox rows (possible in the table's shape, never written by the
    /// intake) cannot be carried into one topic column: migration 8 stops and changes nothing.
    @Test func migration8RefusesAnEventWithTwoOutboxRows() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = StoreMigrations.set(for: stack.configuration)
            let before = MigrationSet(schema: stack.configuration.schema, migrations: set.migrations.filter { $0.version < 8 })
            _ = try await stack.migrator.migrate([before])
            try await Self.appendAsBeforeMigration9(stack, [("person-a", "1", "onewindow.person")])
            try await stack.execute("INSERT INTO {schema}.outbox (position, topic, key) SELECT position, 'onewindow.case', stream FROM {schema}.events")
            await #expect(throws: (any Error).self) { try await stack.migrator.migrate([set]) }
            #expect(try await stack.count("SELECT count(*) FROM {schema}.outbox") == 2)
            #expect(try await stack.count("SELECT max(version) FROM {schema}.schema_migrations") == 7)
        }
    }

    /// An intake of the previous version, still running while the store is upgraded, calls the
    /// ten-array function: it keeps appending after migration 9, numbered after the new one's.
    @Test func theAppendOfBeforeMigration9StillWorksAfterIt() async throws {
        try await TestStack.withStore { stack in
            _ = try await stack.events.appendBatch([BatchedEvent(stream: "p", event: Fixture.event(id: "new"), newStream: true)])
            try await Self.appendAsBeforeMigration9(stack, [("p", "old", "onewindow.person")])
            #expect(try await stack.events.readStream("p").map(\.id) == ["new", "old"])
            #expect(try await stack.events.readStream("p").map(\.streamVersion) == [1, 2])
        }
    }

    /// Migration 13 keeps data and metadata as text: payloads stored before it keep their bytes
    /// (spacing and member order as `json` kept them), and an intake of the previous version,
    /// which binds them as `json` arrays, keeps appending, numbered after the new version's.
    @Test func payloadsStoredBeforeMigration13KeepTheirBytesAndItsPreviousAppendStillWorks() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = StoreMigrations.set(for: stack.configuration)
            let before = MigrationSet(schema: stack.configuration.schema, migrations: set.migrations.filter { $0.version < 13 })
            _ = try await stack.migrator.migrate([before])
            func appendAsBeforeMigration13(id: String, data: String, metadata: String) async throws {
                try await stack.execute("""
                    SELECT * FROM {schema}.append_events(ARRAY['p'], ARRAY['\(id)'], ARRAY['/orgs/test/desk'],
                        ARRAY['onewindow.test.happened.v1'], ARRAY[now()], ARRAY['test-org'], ARRAY[''],
                        ARRAY['\(data)']::json[], ARRAY['\(metadata)']::json[], ARRAY['onewindow.person'], ARRAY[false])
                    """)
            }
            try await appendAsBeforeMigration13(id: "stored", data: #"{ "n": 1,  "a" :[true] }"#, metadata: #"{"k" : "v"}"#)
            #expect(try await stack.migrator.migrate([set]).map(\.version) == [13])
            #expect(try await stack.count("""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = '{schema}' AND table_name = 'events' AND column_name IN ('data', 'metadata')
                  AND data_type = 'text'
                """) == 2)
            _ = try await stack.events.appendBatch([BatchedEvent(stream: "p", event: Fixture.event(id: "new"))])
            try await appendAsBeforeMigration13(id: "old", data: #"{"n":2}"#, metadata: "{}")
            let stored = try await stack.events.readStream("p")
            #expect(stored.map(\.id) == ["stored", "new", "old"])
            #expect(stored.map(\.streamVersion) == [1, 2, 3])
            #expect(stored.map { String(decoding: $0.data, as: UTF8.self) } == [#"{ "n": 1,  "a" :[true] }"#, #"{"n":1}"#, #"{"n":2}"#])
            #expect(stored.first.map { String(decoding: $0.metadata, as: UTF8.self) } == #"{"k" : "v"}"#)
        }
    }

    /// Migration 11: the append functions never JIT-compile, whatever the caller's session
    /// says (a batch of 2,000 was priced above `jit_above_cost` and compiled on every append);
    /// migration 13's `append_events` neither.
    @Test func theAppendFunctionsRunWithJITOff() async throws {
        try await TestStack.withStore { stack in
            let signatures = [
                "append_events(text[], text[], text[], text[], timestamptz[], text[], text[], text[], text[], text[], bool[], bigint[])",
                "append_events(text[], text[], text[], text[], timestamptz[], text[], text[], json[], json[], text[], bool[])",
                "append_batch(text[], text[], text[], text[], timestamptz[], text[], text[], json[], json[], text[], bool[])",
                "append_batch(text[], text[], text[], text[], timestamptz[], text[], text[], json[], json[], text[])",
            ]
            for signature in signatures {
                let withJITOff = try await stack.count("""
                    SELECT count(*) FROM pg_proc
                    WHERE oid = '{schema}.\(signature)'::regprocedure AND 'jit=off' = ANY (proconfig)
                    """)
                #expect(withJITOff == 1, "\(signature)")
            }
        }
    }

    /// Every connection of `DatabaseURL.clientConfiguration` starts with JIT off, though the
    /// server's default is on.
    @Test func connectionsStartWithJITOff() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let serverDefaultOn = try await stack.count("SELECT count(*) FROM pg_settings WHERE name = 'jit' AND boot_val = 'on'")
            let sessionOff = try await stack.count("SELECT count(*) FROM pg_settings WHERE name = 'jit' AND setting = 'off'")
            #expect(serverDefaultOn == 1)
            #expect(sessionOff == 1)
        }
    }

    /// Appends through the store's function as it was before migration 9 (ten arrays): the
    /// intake of today passes an eleventh, which an older schema does not know.
    static func appendAsBeforeMigration9(_ stack: TestStack, _ events: [(stream: String, id: String, topic: String?)]) async throws {
        func texts(_ values: [String]) -> String { "ARRAY[" + values.map { "'\($0)'" }.joined(separator: ",") + "]::text[]" }
        func repeated(_ value: String, as type: String) -> String { "array_fill(\(value)::\(type), ARRAY[\(events.count)])" }
        try await stack.execute("""
            SELECT * FROM {schema}.append_batch(\(texts(events.map(\.stream))), \(texts(events.map(\.id))),
                \(repeated("'/orgs/test/desk'", as: "text")), \(repeated("'onewindow.test.happened.v1'", as: "text")),
                \(repeated("now()", as: "timestamptz")), \(repeated("'test-org'", as: "text")), \(repeated("'320505001001'", as: "text")),
                \(repeated("'{\"n\":1}'", as: "json")), \(repeated("'{}'", as: "json")), \(texts(events.map { $0.topic ?? "" })))
            """)
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = StoreMigrations.set(for: stack.configuration)
            let applied = try await withThrowingTaskGroup(of: [Migrator.Applied].self) { group in
                for _ in 0..<4 { group.addTask { try await stack.migrator.migrate([set]) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.map(\.version).sorted() == set.migrations.map(\.version))
            #expect(try await stack.count("SELECT count(*) FROM {schema}.schema_migrations") == Int64(set.migrations.count))
            // The store works after the race.
            let result = try await stack.events.append(stream: "s", expectedVersion: .noStream, events: [Fixture.event()])
            #expect(result.lastStreamVersion == 1)
        }
    }

    @Test func anotherSchemaCanRegisterItsOwnMigrations() async throws {
        try await TestStack.withStore { stack in
            let readModel = try SchemaName(stack.schema + "_rm")
            let set = MigrationSet(schema: readModel, migrations: [
                Migration(version: 1, name: "residents", statements: ["CREATE TABLE {schema}.residents (person_id uuid PRIMARY KEY)"]),
                Migration(version: 2, name: "status", statements: ["ALTER TABLE {schema}.residents ADD COLUMN status text"]),
            ])
            let applied = try await stack.migrator.migrate([StoreMigrations.set(for: stack.configuration), set])
            #expect(applied.map(\.schema) == [readModel.rawValue, readModel.rawValue])
            #expect(try await stack.count("SELECT count(*) FROM \(readModel).residents") == 0)
            try await stack.execute("DROP SCHEMA \(readModel) CASCADE")
        }
    }

    @Test func migrationsOutOfOrderAreRefused() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = MigrationSet(schema: stack.configuration.schema, migrations: [
                Migration(version: 2, name: "two", statements: ["SELECT 1"]),
            ])
            await #expect {
                try await stack.migrator.migrate([set])
            } throws: { error in
                if case StoreError.invalidMigrationOrder = error { return true }
                return false
            }
        }
    }

    @Test func aFailingMigrationIsRolledBackAndReportedWithItsVersion() async throws {
        try await TestStack.withStore(migrated: false) { stack in
            let set = MigrationSet(schema: stack.configuration.schema, migrations: [
                Migration(version: 1, name: "ok", statements: ["CREATE TABLE {schema}.a (x int)"]),
                Migration(version: 2, name: "broken", statements: ["CREATE TABLE {schema}.b (x int)", "SELECT no_such_column FROM {schema}.a"]),
            ])
            await #expect {
                try await stack.migrator.migrate([set])
            } throws: { error in
                guard case StoreError.migrationFailed(_, let version, _) = error else { return false }
                // The message names the SQLSTATE (undefined column), never PostgreSQL's text, which quotes names.
                let text = "\(error)"
                return version == 2 && text.hasSuffix("(SQLSTATE 42703)") && !text.contains("no_such_column")
            }
            let recorded = try await stack.count("SELECT count(*) FROM {schema}.schema_migrations")
            let tableB = try await stack.count("SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tablename = 'b'")
            #expect(recorded == 1)
            #expect(tableB == 0)
        }
    }

    @Test(arguments: ["Store", "1store", "store-x", "store;drop", "", "a b", String(repeating: "a", count: 64)])
    func schemaNamesThatAreNotPlainIdentifiersAreRefused(name: String) {
        #expect(throws: StoreError.self) { try SchemaName(name) }
    }

    @Test(arguments: ["store", "_x", "store_1a2b"])
    func plainIdentifiersAreAccepted(name: String) throws {
        #expect(try SchemaName(name).rawValue == name)
    }
}
