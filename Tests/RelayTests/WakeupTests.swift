@testable import Relay
import Testing

@Suite("The relay's idle wait")
struct WakeupTests {
    @Test(.timeLimit(.minutes(1)))
    func aSignalEndsTheWaitAndOneWhileNobodyWaitsEndsTheNextAtOnce() async throws {
        let wakeup = Wakeup()
        wakeup.signal()
        await wakeup.wait(upTo: .seconds(600))  // kept from before: returns at once
        let waiting = Task { await wakeup.wait(upTo: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(50))
        wakeup.signal()
        await waiting.value
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutASignalTheWaitEndsAfterItsTimeOrWhenCancelled() async throws {
        let wakeup = Wakeup()
        await wakeup.wait(upTo: .milliseconds(20))
        let waiting = Task { await wakeup.wait(upTo: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await waiting.value
        // Neither ending left a signal behind for the next wait.
        let clock = ContinuousClock()
        let start = clock.now
        await wakeup.wait(upTo: .milliseconds(200))
        #expect(clock.now - start >= .milliseconds(150))
    }
}
