import ArgumentParser
import Testing

@testable import onewindow

/// `bench intake`'s options and its table of rounds (pure logic; the benchmark itself runs by
/// hand against the stack, see BENCHMARKS.md).
@Suite("bench intake: options and the table of rounds")
struct IntakeBenchReportTests {
    static func round(http: Double, kafka: Double, cpuSeconds: Double, baseline: Double, peakKiB: Int) -> IntakeBenchmark.Round {
        let cpu = CPUUse(process: cpuSeconds / 2, postgres: cpuSeconds / 2, broker: 0)
        return ([IntakeBenchmark.Row(figure: "HTTP", rate: http, seconds: 1, cpu: cpu),
                 IntakeBenchmark.Row(figure: "Kafka", rate: kafka, seconds: 1, cpu: cpu)], baseline, peakKiB)
    }

    @Test func roundsAreSummarizedByMedianRangeAndEachRoundsOwnBaseline() {
        // Ratios per round: HTTP 10, 5, 4 (median 5); a ratio of the medians would be 15,000 / 2,000 = 7.5.
        let rounds = [
            Self.round(http: 20_000, kafka: 9_000, cpuSeconds: 4, baseline: 2_000, peakKiB: 300 * 1024),
            Self.round(http: 15_000, kafka: 12_000, cpuSeconds: 6, baseline: 3_000, peakKiB: 310 * 1024),
            Self.round(http: 4_000, kafka: 10_000, cpuSeconds: 5, baseline: 1_000, peakKiB: 290 * 1024),
        ]
        let lines = IntakeBenchmark.summary(rounds, events: 50_000).split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("Intake: 3 rounds of 50000 events per figure, medians"))
        // 5 CPU seconds for 50,000 events is 100 µs each.
        #expect(lines[3] == "| HTTP | 15000 | 4000–20000 | 100 | 2000 | 5.00× |")
        #expect(lines[4] == "| Kafka | 10000 | 9000–12000 | 100 | 2000 | 4.50× |")
        #expect(lines[5] == "Peak resident memory (VmHWM) of this process: 310 MiB")
    }

    @Test func optionsOutOfBoundsAreRefusedByName() {
        func message(_ arguments: [String]) -> String? {
            do { _ = try IntakeBenchCommand.parseAsRoot(arguments); return nil } catch { return IntakeBenchCommand.message(for: error) }
        }
        #expect(message(["--rounds", "0"]) == "--rounds must be at least 1")
        #expect(message(["--events", "0"]) == "--events must be at least 1")
        #expect(message(["--connections", "0"]) == "--connections must be at least 1")
        #expect(message(["--prefill=-1"]) == "--prefill cannot be negative")
        #expect(message(["--rounds", "3", "--events", "1000"]) == nil)
    }
}

/// The bench's wait for the relay's count: resumed by the observer's calls, not by polling.
@Suite("bench intake: waiting for the relay's count")
struct PublishedWaitTests {
    @Test func aWaitEndsWhenTheCountReachesItsTarget() async {
        let published = IntakeBenchmark.Published()
        published.add(3)
        async let reached = published.wait(until: 10, timeout: .seconds(60))
        for _ in 0..<7 {
            try? await Task.sleep(for: .milliseconds(5))
            published.add(1)
        }
        #expect(await reached)
        #expect(published.messages == 10)
    }

    @Test func aTargetAlreadyReachedDoesNotWait() async {
        let published = IntakeBenchmark.Published()
        published.add(5)
        #expect(await published.wait(until: 5, timeout: .seconds(60)))
    }

    @Test func aWaitGivesUpAfterItsTimeoutAndLeavesNoWaiterBehind() async {
        let published = IntakeBenchmark.Published()
        let start = ContinuousClock.now
        #expect(await published.wait(until: 1, timeout: .milliseconds(50)) == false)
        #expect(ContinuousClock.now - start < .seconds(30))
        published.add(1)  // resumes nothing: the timed-out waiter is gone (a second resume would trap)
        #expect(await published.wait(until: 1, timeout: .seconds(60)))
    }
}
