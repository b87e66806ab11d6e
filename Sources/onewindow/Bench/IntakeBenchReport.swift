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

    /// The table of several rounds (each a fresh schema and topics, with its own baseline):
    /// per figure the median and range of events/s, the median machine CPU per event, and the
    /// median of each round's ratio to its own baseline. The machine's speed varies from one
    /// minute to the next; the rounds show how much.
    static func summary(_ rounds: [Round], events: Int) -> String {
        var lines = [
            "Intake: \(rounds.count) rounds of \(events) events per figure, medians (70 % resident.registered, 20 % resident.moved, 10 % certificate.checked)",
            "| figure | events/s (median) | events/s (lowest–highest) | machine CPU µs/event (median) | baseline events/s (median) | ratio (median of rounds) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for (index, figure) in (rounds.first?.rows ?? []).enumerated() {
            let rates = rounds.map { $0.rows[index].rate }
            let perEvent = rounds.map { $0.rows[index].cpu.total / Double(events) * 1e6 }
            let ratios = rounds.map { $0.rows[index].rate / $0.baseline }
            lines.append("| \(figure.figure) | \(Int(median(rates))) | \(Int(rates.min() ?? 0))–\(Int(rates.max() ?? 0)) | \(Int(median(perEvent).rounded())) | \(Int(median(rounds.map(\.baseline)))) | \(String(format: "%.2f×", median(ratios))) |")
        }
        lines.append("Peak resident memory (VmHWM) of this process: \(rounds.map(\.peakRSSKiB).max().map { $0 / 1024 } ?? 0) MiB")
        return lines.joined(separator: "\n")
    }
}
