import Crypto
import Foundation

/// The statements of a projection's SQL file. A statement ends with `;` at the end of a line
/// (so `;` inside a string or on a line with more text does not split it); `--` comment lines
/// between statements are dropped. `{{schema}}` stands for the version's schema.
public struct SQLScript: Sendable, Hashable {
    public let statements: [String]

    public init(_ text: String) {
        var statements: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current.isEmpty, trimmed.isEmpty || trimmed.hasPrefix("--") { continue }
            current.append(line)
            if trimmed.hasSuffix(";") {
                statements.append(Self.finish(current))
                current = []
            }
        }
        if !current.isEmpty {
            let last = Self.finish(current)
            if !last.isEmpty { statements.append(last) }
        }
        self.statements = statements
    }

    private static func finish(_ lines: [Substring]) -> String {
        var text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text.removeLast() }
        return text
    }

    /// The statements as a script again: `SQLScript(text)` gives the same statements.
    public var text: String { statements.map { $0 + ";\n" }.joined() }

    /// The statements with `{{schema}}` replaced by `schema` (a checked identifier).
    public func rendered(schema: String) -> [String] {
        statements.map { $0.replacingOccurrences(of: "{{schema}}", with: schema) }
    }
}

enum Fingerprint {
    static func of(_ texts: [String]) -> String {
        var hash = SHA256()
        for text in texts {
            hash.update(data: Data(text.utf8))
            hash.update(data: Data([0]))
        }
        return hash.finalize().prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
