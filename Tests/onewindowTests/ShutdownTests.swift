import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import onewindow

/// Stopping is bounded: a service that ignores graceful shutdown is cancelled once the group's
/// graceful limit has passed, so Ctrl-C or SIGTERM always ends the process.
@Suite("Shutdown limits")
struct ShutdownTests {
    /// Ignores graceful shutdown; stops only when cancelled, and says so.
    final class Stubborn: Service {
        let cancelled = Atomic<Bool>(false)
        func run() async throws {
            do { try await Task.sleep(for: .seconds(3_600)) } catch { cancelled.store(true, ordering: .releasing) }
        }
    }

    /// Ends after a moment, asking the group to shut down gracefully (as a signal would).
    struct Trigger: Service {
        func run() async throws { try await Task.sleep(for: .milliseconds(100)) }
    }

    @Test func aServiceIgnoringGracefulShutdownIsCancelledAfterTheLimit() async throws {
        let parts = ServiceAssembly(environment: try OneWindowEnvironment.load(ConfigurationTests.good),
                                    logger: Logger(label: "shutdown-tests"))
        let stubborn = Stubborn()
        // The cancellation limit is generous: past it the group ends the whole test process.
        var configuration = parts.groupConfiguration(
            [stubborn], limits: .init(graceful: .milliseconds(500), cancellation: .seconds(60)))
        configuration.services.append(.init(service: Trigger(), successTerminationBehavior: .gracefullyShutdownGroup))
        #expect(configuration.maximumGracefulShutdownDuration == .milliseconds(500))
        let group = ServiceGroup(configuration: configuration)
        // Without the limit the group would wait for Stubborn forever; the timeout only keeps
        // a regression from hanging the suite (the test then fails with TimedOut).
        try await withTimeout(.seconds(120)) { try await group.run() }
        let cancelled = stubborn.cancelled.load(ordering: .acquiring)
        #expect(cancelled)
    }

    @Test func theDefaultsLeaveRoomForTheRelaysBatchAndTheProducersFlush() {
        let limits = ServiceAssembly.ShutdownLimits()
        #expect(limits.graceful > .seconds(30))
        #expect(limits.cancellation > .zero)
    }
}
