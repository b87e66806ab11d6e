import Foundation
import PropertyBased
import Testing
@testable import Domain

/// The hand-written JSON parser and writer every event passes through (both doors, the store,
/// the relay's envelopes), checked against themselves and against Foundation's parser.
@Suite("JSON: parse and write round-trip, agree with Foundation, reject what is not JSON")
struct JSONCodecTests {
    /// Text that exercises every path of the writer and parser: ASCII runs, quotes, backslashes,
    /// every control character, multi-byte UTF-8 (CJK, emoji as a surrogate pair in \u form).
    static let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}",
                                     "é", "张", "伟", "😀", "~", "{", "]"]

    static func randomText(_ rng: inout SplitMix64) -> String {
        let length = Int(rng.next() % 12)
        return (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
    }

    static func randomValue(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch rng.next() % (depth < 4 ? 7 : 4) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(Double(Int64(bitPattern: rng.next()) % 1_000_000) / (rng.next() % 2 == 0 ? 1 : 8))
        case 3: return .string(randomText(&rng))
        case 4, 5:
            var members: [String: JSONValue] = [:]
            for _ in 0..<(rng.next() % 5) { members[randomText(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(members)
        default:
            return .array((0..<(rng.next() % 5)).map { _ in randomValue(&rng, depth: depth + 1) })
        }
    }

    @Test func writtenValuesParseBackToThemselvesAndFoundationReadsTheSameStrings() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0 ... .max)) { seed in
            var rng = SplitMix64(seed: seed)
            let value = Self.randomValue(&rng)
            let bytes = value.encoded()
            #expect((try? JSONValue.parse(bytes)) == value, "\(String(decoding: bytes, as: UTF8.self))")
            #expect((try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil,
                    "Foundation cannot read \(String(decoding: bytes, as: UTF8.self))")
            let text = Self.randomText(&rng)
            let quoted = JSONValue.string(text).encoded()
            #expect((try? JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed)) as? String == text)
        }
    }

    @Test func escapesAndUnicodeInTheInputAreDecoded() throws {
        let parsed = try JSONValue.parse(Array(#"{"a":"x\"y\\z\/\n\u0041\u5f20\ud83d\ude00","b":[true,false,null,-1.5e2]}"#.utf8))
        #expect(parsed == .object(["a": .string("x\"y\\z/\nA张😀"), "b": .array([.bool(true), .bool(false), .null, .number(-150)])]))
    }

    @Test(arguments: [
        #"{"a":"unterminated}"#, "{\"a\":\"raw\ncontrol\"}", #"{"a":"\x"}"#, #"{"a":"\ud83d"}"#, #"[tru]"#, #"{"a" 1}"#,
        #"[1,]"#, #"{"a":1}x"#, #"01"#, #""#,
    ])
    func textThatIsNotJSONIsRejected(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func bytesThatAreNotUTF8AreRejectedInsideStrings() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0x61, 0xFF, 0x22]) }
    }

    /// The string scanner reads eight bytes at a time: it must stop exactly where a byte-wise
    /// reading stops (the first quote, backslash or control character) and tell ASCII from not,
    /// whatever the offset of that byte within a word and wherever the run starts.
    @Test func theWordWiseStringScanStopsWhereAByteWiseOneDoes() async {
        let interesting: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x1F, 0x20, 0x21, 0x5B, 0x5D, 0x7E, 0x7F, 0x80, 0xA0, 0xC3, 0xE5, 0xFF]
        await propertyCheck(count: 500, input: Gen.uint64(in: 0 ... .max)) { seed in
            var rng = SplitMix64(seed: seed)
            let count = Int(rng.next() % 70)
            let bytes: [UInt8] = (0..<count).map { _ in
                rng.next() % 4 == 0 ? interesting[Int(rng.next() % UInt64(interesting.count))] : UInt8(0x61 + rng.next() % 26)
            }
            let start = count == 0 ? 0 : Int(rng.next() % UInt64(count + 1))
            var end = start
            var ascii = true
            while end < count, bytes[end] != 0x22, bytes[end] != 0x5C, bytes[end] >= 0x20 {
                if bytes[end] >= 0x80 { ascii = false }
                end += 1
            }
            let scanned = bytes.withUnsafeBytes { JSONParser.plainRun(in: $0, from: start) }
            #expect(scanned.end == end && scanned.ascii == ascii, "\(bytes) from \(start)")
        }
    }

    /// Long strings (the scanner's word-wise path): text with a quote, an escape or a bad byte
    /// at every offset is read or refused as it should be.
    @Test func longStringsAreReadAndRefusedAtEveryOffset() throws {
        let text = "0123456789abcdefghij张伟klmnopqrstuvwxyz"
        let utf8 = Array(text.utf8)
        for i in 0...utf8.count {
            var control = utf8
            control.insert(0x0A, at: i)
            #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22] + control + [0x22]) }
            var broken = utf8
            broken.insert(0xFF, at: i)
            #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22] + broken + [0x22]) }
            guard i == utf8.count || utf8[i] & 0xC0 != 0x80 else { continue }  // an escape goes between characters
            var escaped = utf8
            escaped.insert(contentsOf: Array(#"\""#.utf8), at: i)
            let withEscape = try JSONValue.parse([0x22] + escaped + [0x22])
            var expected = utf8
            expected.insert(0x22, at: i)
            #expect(withEscape == .string(String(decoding: expected, as: UTF8.self)))
        }
        #expect(try JSONValue.parse(Array("\"\(text)\"".utf8)) == .string(text))
    }

    /// A long string with a character to escape at every offset (and two in a row) is written
    /// exactly as a byte-by-byte writer writes it, and reads back as itself.
    @Test func longStringsAreWrittenWithEachEscapeWhereItBelongs() throws {
        func byteWise(_ text: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for b in text.utf8 {
                switch b {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5C: out += Array(#"\\"#.utf8)
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case ..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        let text = "0123456789abcdefghij张伟klmnopqrstuvwxyz"
        for special in ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\"\\"] {
            for i in 0...text.count {
                var mixed = text
                mixed.insert(contentsOf: special, at: mixed.index(mixed.startIndex, offsetBy: i))
                var written: [UInt8] = []
                JSONValue.writeString(mixed, into: &written)
                #expect(written == byteWise(mixed), "\(special.debugDescription) at \(i)")
                #expect(try JSONValue.parse(written) == .string(mixed))
            }
        }
    }

    @Test func aRepeatedMemberKeepsTheLastValue() throws {
        #expect(try JSONValue.parse(Array(#"{"a":1,"b":2,"a":3}"#.utf8)) == .object(["a": .number(3), "b": .number(2)]))
        let node = try JSONDocument.parse(Array(#"{"a":1,"b":2,"a":3}"#.utf8)).root
        #expect(node.member("a")?.integerValue == 3)
        #expect(node.writtenMemberCount == 3)
        var seen: [String: Int] = [:]
        node.forEachMember { key, value in seen[key, default: 0] += value.integerValue ?? 100 }
        #expect(seen == ["a": 3, "b": 2])
    }

    /// Member lookups in a parsed document (by hashed name, first match unless a name repeats)
    /// agree with the tree's dictionary, for names with escapes, repeated names, and objects
    /// too large to be searched for repeats when parsed (over 32 members).
    @Test func lookupsInADocumentAgreeWithTheTree() async throws {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0 ... .max)) { seed in
            var rng = SplitMix64(seed: seed)
            let count = Int(rng.next() % 50)
            let names = (0..<count).map { _ in rng.next() % 3 == 0 ? "k\(rng.next() % 8)" : Self.randomText(&rng) }
            let members = names.map { name in (name, Self.randomValue(&rng, depth: 3)) }
            var text: [UInt8] = [UInt8(ascii: "{")]
            for (n, (name, value)) in members.enumerated() {
                if n > 0 { text.append(UInt8(ascii: ",")) }
                text += JSONValue.string(name).encoded() + [UInt8(ascii: ":")] + value.encoded()
            }
            text.append(UInt8(ascii: "}"))
            guard let document = try? JSONDocument.parse(text), case .object(let tree)? = try? JSONValue.parse(text) else {
                Issue.record("not parsed: \(String(decoding: text, as: UTF8.self))")
                return
            }
            let node = document.root
            #expect(node.writtenMemberCount == count)
            for name in Set(names) + ["absent", ""] {
                #expect(node.member(name)?.value == tree[name], "\(name) in \(String(decoding: text, as: UTF8.self))")
            }
            var walked: [String: JSONValue] = [:]
            node.forEachMember { name, value in
                #expect(walked[name] == nil, "\(name) walked twice")
                walked[name] = value.value
            }
            #expect(walked == tree)
            #expect(JSONNode(.object(tree)).member(names.first ?? "absent")?.value == tree[names.first ?? "absent"])
        }
    }
}
