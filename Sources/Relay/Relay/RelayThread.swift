import NIOCore
import NIOPosix

/// The thread the relay's loop runs on, so that it is never starved by the work it relays.
///
/// Swift's cooperative pool has one thread per core. Where the relay shares a process with the
/// intake (`onewindow dev`, the benchmarks), the intake's batches are CPU-bound for tens of
/// milliseconds at a time and the relay's continuations queued behind them: measured with 16
/// HTTP senders on 2 cores, a 5,000-row outbox read that takes 50 ms took up to 2.2 s, and the
/// relay finished a second after the intake. On a thread of its own the relay gets its share of
/// the CPU from the kernel whenever it has work, and none when it waits. The thread lives as long
/// as the process and is shared by every relay in it (jobs of different relays interleave).
final class RelayThread: TaskExecutor {
    static let shared = RelayThread()

    /// Held so that the thread's lifetime does not rest on the loop's reference to its group.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    private init() {
        loop = group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
