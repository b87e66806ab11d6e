import Foundation

/// The printed table of `bench intake`.
extension IntakeBenchmark {
    static func table(_ rows: [Row], baseline: Double, events: Int, peakRSSKiB: Int) -> String {
        var lines = [
            "Intake: \(events) events per figure (70 % resident.registered, 20 % resident.moved, 10 % certificate.checked)",
            "| figure | events/s | seconds | CPU s of this process | CPU s of PostgreSQL | baseline events/s (single-row INSERT) | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows {
            lines.append("| \(r.figure) | \(Int(r.rate)) | \(String(format: "%.2f", r.seconds)) | \(String(format: "%.1f", r.cpu)) | \(String(format: "%.1f", r.postgresCPU)) | \(Int(baseline)) | \(String(format: "%.2f×", r.rate / baseline)) |")
        }
        lines.append("Peak resident memory (VmHWM) of this process: \(peakRSSKiB / 1024) MiB")
        return lines.joined(separator: "\n")
    }
}
