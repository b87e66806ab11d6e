import Foundation

/// The printed table of `bench intake`.
extension IntakeBenchmark {
    static func table(_ rows: [Row], baseline: Double, events: Int, peakRSSKiB: Int) -> String {
        var lines = [
            "Intake: \(events) events per figure (70 % resident.registered, 20 % resident.moved, 10 % certificate.checked)",
            "| figure | events/s | seconds | CPU s of this process | CPU s of PostgreSQL | CPU s of the broker | machine CPU µs/event | baseline events/s (single-row INSERT) | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows {
            let perEvent = r.cpu.total / Double(events) * 1e6
            lines.append("| \(r.figure) | \(Int(r.rate)) | \(String(format: "%.2f", r.seconds)) | \(String(format: "%.1f", r.cpu.process)) | \(String(format: "%.1f", r.cpu.postgres)) | \(String(format: "%.1f", r.cpu.broker)) | \(Int(perEvent.rounded())) | \(Int(baseline)) | \(String(format: "%.2f×", r.rate / baseline)) |")
        }
        lines.append("Peak resident memory (VmHWM) of this process: \(peakRSSKiB / 1024) MiB")
        return lines.joined(separator: "\n")
    }
}
