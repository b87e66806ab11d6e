import Dispatch

/// Runs blocking librdkafka calls on a dedicated serial queue, never on Swift's cooperative
/// pool, and serializes them (the calls a consumer makes must not overlap).
struct BlockingWorker: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// Waits, on a thread that is not part of the cooperative pool, for an async operation.
///
/// librdkafka's rebalance callback is synchronous and runs on the consumer's worker thread;
/// the application's offset lookup is async (a database query). Blocking that worker thread
/// for the lookup is what we want: no message may be fetched before the offsets are known.
func waitBlocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task {
        box.set(await operation())
        semaphore.signal()
    }
    semaphore.wait()
    return box.get()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // Safe: written once by the task before `signal()`, read once after `wait()`; the
    // semaphore orders the two accesses.
    private var value: T?
    func set(_ value: T) { self.value = value }
    func get() -> T { value! }
}
