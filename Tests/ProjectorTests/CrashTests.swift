import Foundation
import PostgresNIO
@testable import Projector
import Relay
import Store
import Testing
import TestSupport

/// Exactly once, the hard way: `onewindow serve projector` as a real process, killed with
/// SIGKILL at random moments while it works through 100k events, started again, and in the
/// end compared with a clean rebuild from offset 0.
@Suite("Projector killed with SIGKILL")
struct CrashTests {
    static let binary = ProjectorTestStack.repositoryRoot.appendingPathComponent(".build/debug/onewindow")

    func projectorProcess(_ stack: ProjectorTestStack) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "projector", "--department", "police"]
        var environment = ProcessInfo.processInfo.environment
        environment["ONEWINDOW_TOPIC_PREFIX"] = stack.naming.prefix
        environment["ONEWINDOW_READ_MODEL_PREFIX"] = stack.namespace.prefix
        environment["ONEWINDOW_PROJECTIONS_DIR"] = ProjectorTestStack.repositoryRoot.appendingPathComponent("Projections").path
        environment["ONEWINDOW_DATA_KEY"] = stack.masterKey
        environment["ONEWINDOW_TOKEN_SECRET"] = String(repeating: "t", count: 40)
        process.environment = environment
        // Its log, for when a run does not catch up: /tmp/onewindow-crash-test-<prefix>.log
        let log = URL(fileURLWithPath: "/tmp/onewindow-crash-test-\(stack.namespace.prefix)log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    func consumed(_ stack: ProjectorTestStack, _ projection: String) async throws -> Int64 {
        let rows = try await stack.client.collect(
            """
            SELECT coalesce(sum(o.next_offset), 0)::bigint FROM \(unescaped: stack.namespace.bookkeeping.rawValue).offsets o
            JOIN \(unescaped: stack.namespace.bookkeeping.rawValue).versions v USING (projection, version)
            WHERE o.projection = \(projection) AND v.state = 'live'
            """, logger: stack.logger)
        return try rows[0].decode(Int64.self)
    }

    @Test func killedAtRandomPointsItEndsEqualToACleanRebuild() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build onewindow first (swift build)")
        try await ProjectorTestStack.with { stack in
            let feed = CanonicalFeed(stack: stack)
            try await feed.ensureTopics()
            let events = CanonicalFeed.city(people: 65_400)
            #expect(events.count >= 100_000)
            let total = Int64(events.count)
            try await feed.withProducer { try await feed.publish(events, producer: $0) }
            let police = ProjectorTestStack.catalog.definitions(ofDepartment: "police")

            var generator = SystemRandomNumberGenerator()
            var kills = 0
            while kills < 4 {
                let process = try projectorProcess(stack)
                try await Task.sleep(for: .milliseconds(Int.random(in: 1_500...5_000, using: &generator)))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
                if try await consumed(stack, "police.residents") >= total { break }
            }
            let last = try projectorProcess(stack)
            let finished = try await eventually(deadline: .seconds(600)) {
                let residents = (try? await consumed(stack, "police.residents")) ?? 0
                let units = (try? await consumed(stack, "police.housing-units")) ?? 0
                return residents >= total && units >= total
            }
            last.terminate()
            last.waitUntilExit()
            #expect(finished, "the restarted projector caught up")

            // Every event applied exactly once: the count kept in the same transaction.
            for definition in police {
                let rows = try await stack.client.collect(
                    """
                    SELECT p.applied FROM \(unescaped: stack.namespace.bookkeeping.rawValue).progress p
                    JOIN \(unescaped: stack.namespace.bookkeeping.rawValue).versions v USING (projection, version)
                    WHERE p.projection = \(definition.name) AND v.state = 'live'
                    """, logger: stack.logger)
                #expect(try rows.first?.decode(Int64.self) == total, "\(definition.name) applied each event once")
            }
            var afterCrashes: [String: [String]] = [:]
            for definition in police {
                afterCrashes[definition.name] = try await stack.contents(of: definition).sortedRows
                let live = try #require(try await stack.registry.versions(of: definition.name).live)
                afterCrashes[definition.name + "#tables"] = try await stack.tables(in: live.schema).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ","))" }
            }
            var settings = ProjectorSettings(kafka: stack.kafka, naming: stack.naming, store: stack.store)
            settings.checkInterval = .milliseconds(200)
            let rebuilder = ProjectorService(definitions: [], client: stack.client, namespace: stack.namespace,
                                             protection: stack.protection, settings: settings, logger: stack.logger)
            for definition in police {
                let version = try await rebuilder.rebuild(definition)
                // The rebuild switched once it had caught up with the live version, which had everything.
                #expect(try await stack.contents(of: definition).sortedRows == afterCrashes[definition.name], "\(definition.name) view")
                let tables = try await stack.tables(in: version.schema).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ","))" }
                #expect(tables == afterCrashes[definition.name + "#tables"], "\(definition.name) tables")
            }
        }
    }
}
