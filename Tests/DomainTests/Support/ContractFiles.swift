import Foundation
import Domain

/// Finds Events/ from this file's real location (works through the private package's symlinks and in any clone).
enum ContractFiles {
    static let repository: URL = {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()
    static let events = repository.appendingPathComponent("Events")

    /// One labelled example: the envelope bytes and the field it breaks (nil when valid).
    struct Example: CustomStringConvertible, Sendable {
        let name: String
        let event: [UInt8]
        let brokenField: String?
        var description: String { name }
        /// The folder the example is in: its event type.
        var type: String { String(name.prefix { $0 != "/" }) }
    }

    /// The examples of `examples/` (what departments send) or of `emitted-examples/` (what OneWindow emits).
    static func examples(in folder: String = "examples") throws -> [Example] {
        let root = events.appendingPathComponent(folder)
        let fm = FileManager.default
        var out: [Example] = []
        for type in try fm.contentsOfDirectory(atPath: root.path).sorted() {
            let dir = root.appendingPathComponent(type)
            guard (try? dir.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { continue }
            for file in try fm.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".json") {
                let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(file)))
                if file.hasPrefix("valid-") {
                    out.append(Example(name: "\(type)/\(file)", event: bytes, brokenField: nil))
                } else {
                    let wrapper = try JSONValue.parse(bytes).objectValue ?? [:]
                    let field = wrapper["expect"]?.objectValue?["field"]?.stringValue
                    out.append(Example(name: "\(type)/\(file)", event: wrapper["event"]!.encoded(), brokenField: field))
                }
            }
        }
        return out
    }

    /// Runs `Events/check --corpus` (or `--emitted-corpus`) on JSON lines and returns its answer per line: nil = valid, else the pointers.
    static func schemaVerdicts(_ lines: [[UInt8]], emitted: Bool = false) throws -> [Set<String>?] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("onewindow-corpus-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(lines.flatMap { $0 + [0x0A] }).write(to: file)
        let process = Process()
        process.executableURL = events.appendingPathComponent("check")
        process.arguments = [emitted ? "--emitted-corpus" : "--corpus", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CheckFailed(status: process.terminationStatus) }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return parts[0] == "valid" ? nil : Set(parts.dropFirst())
        }
    }

    struct CheckFailed: Error { let status: Int32 }
}

extension Result where Success == EventEnvelope, Failure == ValidationFailure {
    /// The fields the Swift validator rejects (empty when it accepts).
    var rejectedFields: Set<String> {
        switch self {
        case .success: []
        case .failure(let f): Set(f.errors.map(\.field))
        }
    }
}
