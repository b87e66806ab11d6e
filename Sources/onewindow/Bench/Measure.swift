import Foundation
#if canImport(CoreFoundation)
import CoreFoundation  // declares timespec/timeval for this module (MemberImportVisibility)
#endif

/// What the benchmarks measure besides wall time: CPU of this process, of PostgreSQL and of the
/// broker, peak memory, and percentiles.
enum Measure {
    /// CPU seconds of every process named `postgres` (live ones plus reaped children), from /proc.
    static func postgresCPUSeconds() -> Double { cpuSeconds(ofProcessesNamed: "postgres") }

    /// CPU seconds (user + system, including reaped children) of every process on this machine
    /// whose name (`/proc/<pid>/stat`, at most 15 characters) is `name`.
    static func cpuSeconds(ofProcessesNamed name: String) -> Double {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var ticks = 0
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"), stat[..<close].hasSuffix("(" + name) else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the name: state is field 3, utime..cstime are fields 14-17.
            for i in 11...14 where i < fields.count { ticks += Int(fields[i]) ?? 0 }
        }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of the calling thread (for work that runs without suspending, so on one thread).
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// User + system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        #if os(Linux)
        usageSeconds(RUSAGE_SELF.rawValue)
        #else
        usageSeconds(RUSAGE_SELF)
        #endif
    }

    /// User + system CPU seconds of this process's children that have ended and been waited for.
    static func childrenCPUSeconds() -> Double {
        #if os(Linux)
        usageSeconds(RUSAGE_CHILDREN.rawValue)
        #else
        usageSeconds(RUSAGE_CHILDREN)
        #endif
    }

    private static func usageSeconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `VmHWM` of /proc/self/status in KiB (0 where there is no /proc).
    static func peakRSSKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// The `p`-quantile (0…1) of `values` by nearest rank; 0 for none.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// CPU seconds used so far by the three parties of a figure on this machine: this process, all
/// `postgres` processes, and the broker (the local stack's `tansu`). The difference of two
/// snapshots is what a figure cost.
struct CPUUse {
    var process = 0.0
    var postgres = 0.0
    var broker = 0.0

    static func now() -> CPUUse {
        CPUUse(process: Measure.cpuSeconds(), postgres: Measure.postgresCPUSeconds(),
               broker: Measure.cpuSeconds(ofProcessesNamed: "tansu"))
    }

    static func - (later: CPUUse, earlier: CPUUse) -> CPUUse {
        CPUUse(process: later.process - earlier.process, postgres: later.postgres - earlier.postgres,
               broker: later.broker - earlier.broker)
    }

    /// All three together: the machine's CPU spent on the figure.
    var total: Double { process + postgres + broker }
}
