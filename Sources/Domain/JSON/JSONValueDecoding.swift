import Foundation

/// Why some bytes are not JSON. `offset` is the byte where the problem was found when Foundation
/// tells us (0 when it does not, e.g. for a bad string, which is named by its JSON pointer instead);
/// `reason` is a sentence saying what is wrong and where ("unexpected character at line 1, column 17").
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "not JSON: \(reason)" }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects accepted: Foundation's JSON scanner refuses
    /// a 513th level (swift-foundation `JSONScanner`, checked in `JSONValueParsingTests`).
    public static let maximumDepth = 512

    /// Parses RFC 8259 JSON from UTF-8 bytes with Foundation's `JSONDecoder`.
    ///
    /// What Foundation does, and so what this does:
    /// - `true`/`false` are only booleans and numbers only numbers (never `1` as `true`).
    /// - Numbers become `Double` (integers beyond 2^53 are rounded, as before); a number whose
    ///   magnitude does not fit a `Double` (`1e400`, and also `1e-400`) is refused, as are NaN and Infinity.
    /// - Nesting deeper than ``maximumDepth`` (512) is refused.
    /// - Duplicate member names: the **first** value is kept (Python's `json`, used by
    ///   `Events/check`, keeps the last). Events are re-encoded from the parsed value, so what is
    ///   validated is what is stored and published.
    /// - Lenient beyond RFC 8259: a trailing comma in an array or object (`[1,]`) and a leading
    ///   UTF-8 byte order mark are accepted. Other encodings (UTF-16/32, which Foundation would
    ///   convert) are refused: a NUL byte is never part of UTF-8 JSON text.
    public static func parse<C: Collection>(_ bytes: C) throws(JSONSyntaxError) -> JSONValue where C.Element == UInt8 {
        let data = Data(bytes)
        if let nul = data.firstIndex(of: 0) {
            let at = nul - data.startIndex
            throw JSONSyntaxError(offset: at, reason: "a NUL byte \(Position(data, at)); JSON must be UTF-8 text")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as BadContent {
            throw JSONSyntaxError(offset: 0, reason: error.reason)
        } catch {
            throw syntaxError(data)
        }
    }

    /// Foundation's `JSONDecoder` gives no position on Linux (its underlying error is nil outside
    /// Apple platforms); `JSONSerialization` does ("around character N"), so ask it, on the failure path only.
    static func syntaxError(_ data: Data) -> JSONSyntaxError {
        let message: String
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return JSONSyntaxError(offset: 0, reason: "Foundation's JSON decoder refused it")
        } catch {
            message = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        }
        if message.hasPrefix("Unexpected end of file") {
            return JSONSyntaxError(offset: data.count, reason: "unexpected end of input \(Position(data, data.count))")
        }
        guard let range = message.range(of: " around character "),
              let at = Int(message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }) else {
            return JSONSyntaxError(offset: 0, reason: message)
        }
        let what: String
        switch message[..<range.lowerBound] {
        case "Invalid value": what = "unexpected character"
        case "Too many nested arrays or dictionaries": what = "nested more than \(maximumDepth) levels"
        case let other: what = other.prefix(1).lowercased() + other.dropFirst()
        }
        return JSONSyntaxError(offset: at, reason: "\(what) \(Position(data, at))")
    }

    /// "at line 1, column 17": lines and columns count from 1, columns in Unicode scalars.
    struct Position: CustomStringConvertible {
        var line = 1, column = 1
        init(_ data: Data, _ offset: Int) {
            for b in data.prefix(offset) {
                if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            }
        }
        var description: String { "at line \(line), column \(column)" }
    }

    /// A string or number Foundation's scanner let through but could not read, named by its place.
    struct BadContent: Error {
        var reason: String
        init(_ what: String, at path: [any CodingKey]) {
            let pointer = path.reduce("") { p, key in key.intValue.map { JSONPointer.appending(p, $0) } ?? JSONPointer.appending(p, key.stringValue) }
            reason = "the \(what) at \"\(pointer)\""
        }
    }
}

extension JSONValue: Decodable {
    /// Reads any JSON value. Foundation's single-value container has no "what kind is this?", so
    /// each kind is tried in turn (the commonest in events first); a kind mismatch is a
    /// `typeMismatch`, anything else is a real problem and is reported.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        do { self = .string(try c.decode(String.self)); return } catch DecodingError.typeMismatch {} catch {
            throw BadContent("string", at: decoder.codingPath).appending(" has an invalid escape, a lone surrogate, an unescaped control character or bytes that are not UTF-8")
        }
        do { self = .object(try c.decode([String: JSONValue].self)); return } catch DecodingError.typeMismatch {}
        do { self = .bool(try c.decode(Bool.self)); return } catch DecodingError.typeMismatch {}
        do { self = .number(try c.decode(Double.self)); return } catch DecodingError.typeMismatch {} catch {
            throw BadContent("number", at: decoder.codingPath).appending(" is too large or too close to zero for a double")
        }
        self = .array(try c.decode([JSONValue].self))
    }
}

extension JSONValue.BadContent {
    func appending(_ text: String) -> Self { var copy = self; copy.reason += text; return copy }
}
