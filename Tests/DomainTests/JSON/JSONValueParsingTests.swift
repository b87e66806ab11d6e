import Testing
import Foundation
import Domain

/// `JSONValue.parse` is Foundation's `JSONDecoder`; these pin the Foundation behaviour it relies on
/// and documents, so a Foundation change that alters it is noticed here.
@Suite("JSONValue.parse: Foundation's JSONDecoder, pinned behaviour and actionable errors")
struct JSONValueParsingTests {
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }
    /// (offset, reason) of the refusal, nil when the bytes parse.
    static func refusal(_ bytes: [UInt8]) -> [String]? {
        do { _ = try JSONValue.parse(bytes); return nil } catch { return [String(error.offset), error.reason] }
    }
    static func refusal(_ text: String) -> [String]? { refusal(Array(text.utf8)) }

    @Test func booleansAndNumbersStayApart() throws {
        #expect(try Self.parse("[1,true,0,false,null]") == .array([.number(1), .bool(true), .number(0), .bool(false), .null]))
        #expect(try Self.parse("1") == .number(1))
        #expect(try Self.parse("true") == .bool(true))
        #expect(try Self.parse(" \"1\" ") == .string("1"))
    }

    @Test(arguments: ["12345678901234567890", "9007199254740993", "-9007199254740993", "0.1", "2.5", "-0", "1E2", "1e-5",
                      "0.30000000000000004441", "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324",
                      "123456789012345678901234567890.5e-3", "-1.5e-300"])
    func numbersReadAsSwiftReadsTheirText(_ text: String) throws {
        let value = try Self.parse(text)
        #expect(value == .number(Double(text)!))
        if case .number(let d) = value { #expect(d.sign == Double(text)!.sign) }
    }

    @Test(arguments: ["1e400", "-1e400", "1e-400", "NaN", "Infinity"])
    func numbersADoubleCannotHoldAreRefused(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try Self.parse("{\"a\":[\(text)]}") }
        do { _ = try Self.parse("{\"a\":[\(text)]}") } catch {
            if text.contains("e") { #expect(error.reason == "the number at \"/a/0\" is too large or too close to zero for a double") }
        }
    }

    @Test func unicodeAndEscapes() throws {
        #expect(try Self.parse(#""\u00e9\ud83d\ude00\n\/ 长""#) == .string("é😀\n/ 长"))
        for bad in [#"{"a":["x","\ud800"]}"#, #"{"a":["x","\x"]}"#, "{\"a\":[\"x\",\"a\tb\"]}"] {
            #expect(Self.refusal(bad) == ["0", "the string at \"/a/1\" has an invalid escape, a lone surrogate, an unescaped control character or bytes that are not UTF-8"])
        }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D]) }
    }

    @Test func nestingIsLimitedTo512Levels() async throws {
        func nested(_ depth: Int) -> [UInt8] { Array((String(repeating: "{\"a\":", count: depth - 1) + "[]" + String(repeating: "}", count: depth - 1)).utf8) }
        #expect(JSONValue.maximumDepth == 512)
        // Off the main thread too (cooperative pool stacks are smaller).
        let deepest = try await Task.detached { try JSONValue.parse(nested(512)) }.value
        #expect(deepest.encoded() == nested(512))
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(nested(513)) }
        do { _ = try JSONValue.parse(nested(513)) } catch { #expect(error.reason.hasPrefix("nested more than 512 levels at line 1, column ")) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array((String(repeating: "[", count: 100_000)).utf8)) }
    }

    @Test func duplicateNamesKeepTheFirstValue() throws {
        #expect(try Self.parse(#"{"a":1,"b":2,"a":{"x":3}}"#) == .object(["a": .number(1), "b": .number(2)]))
    }

    @Test func foundationLeniencyIsLimited() throws {
        // Accepted (Foundation's choice, meaning unambiguous; events are re-encoded canonically):
        #expect(try Self.parse("[1,]") == .array([.number(1)]))
        #expect(try Self.parse(#"{"a":1,}"#) == .object(["a": .number(1)]))
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.number(1)]))
        // Refused: only UTF-8 is JSON here, though Foundation would convert UTF-16.
        #expect(Self.refusal([0x31, 0x00]) == ["1", "a NUL byte at line 1, column 2; JSON must be UTF-8 text"])
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00]) }
        for text in ["{a:1}", "'a'", "01", "1.", ".5", "+1", "0x10", "//c\n1", "[1 2]", "{1:2}", "tru", "[,1]"] {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try Self.parse(text) }
        }
    }

    @Test func errorsSayWhereInWordsAnIntegratorCanUse() {
        #expect(Self.refusal(#"{"specversion":"1.0", "id": x}"#) == ["28", "unexpected character at line 1, column 29"])
        #expect(Self.refusal("{\"名\": [1,\n  2,, 3]}") == ["16", "unexpected character at line 2, column 5"])
        #expect(Self.refusal(#"{"a":1} x"#) == ["8", "unexpected character at line 1, column 9"])
        #expect(Self.refusal(#"{"a":1"#) == ["6", "unexpected end of input at line 1, column 7"])
        #expect(Self.refusal("") == ["0", "unexpected end of input at line 1, column 1"])
        do { _ = try Self.parse("") } catch { #expect(error.description == "not JSON: unexpected end of input at line 1, column 1") }
        guard case .failure(let failure) = EventEnvelope.decode(json: Array(#"{"id": x}"#.utf8)) else { Issue.record("accepted"); return }
        #expect(failure.errors.map(\.field) == [""])
        #expect(failure.errors.first?.reason == "the event is not JSON: unexpected character at line 1, column 8")
    }
}
