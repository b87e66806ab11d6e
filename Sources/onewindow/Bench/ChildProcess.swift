import Dispatch
import Foundation

/// Runs a helper program of a benchmark (`curl`, `rdkafka_performance`) to its end.
///
/// Reading a child's output and waiting for its exit block a thread for as long as the child
/// runs: a whole figure for the HTTP benchmark's `curl`. Both are done on a Dispatch thread of
/// their own, never on a thread of Swift's executor, which runs the system being measured (a
/// blocked executor thread halves a 2-core machine's executor, and where NIO's event loops
/// are the executor it can stall the very server the child is talking to).
enum ChildProcess {
    struct Finished {
        /// Standard output (and standard error, when merged).
        var output: Data
        var status: Int32
        var exited: Bool
    }

    /// Starts `executable` with `arguments` and returns once it has exited.
    static func run(_ executable: String, _ arguments: [String], mergingErrors: Bool = false) async throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if mergingErrors { process.standardError = pipe }
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Finished(output: output, status: process.terminationStatus,
                                                        exited: process.terminationReason == .exit))
            }
        }
    }
}
