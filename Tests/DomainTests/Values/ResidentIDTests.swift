import Testing
import PropertyBased
import Domain

@Suite("ResidentID: 18 characters, real birth date, ISO 7064 MOD 11-2 check character")
struct ResidentIDTests {
    static let randomID = zip(Gen.int(in: 110_000...659_999), Gen.int(in: 1900...2025), Gen.int(in: 1...12), Gen.int(in: 1...31), Gen.int(in: 0...999))

    static func make(_ region: Int, _ y: Int, _ m: Int, _ d: Int, _ seq: Int) -> ResidentID {
        let born = try! CalendarDate(year: y, month: m, day: min(d, 28))
        return try! ResidentID.make(regionPrefix: String(region), birthDate: born, sequence: seq)
    }

    @Test func idsBuiltFromRandomRegionDateAndSequenceAreAccepted() async {
        await propertyCheck(count: 300, input: Self.randomID) { region, y, m, d, seq in
            let id = Self.make(region, y, m, d, seq)
            #expect((try? ResidentID(id.text)) == id)
            #expect(id.birthDate == (try? CalendarDate(year: y, month: m, day: min(d, 28))))
            #expect(id.sequence == seq)
        }
    }

    @Test func changingAnySingleCharacterOfAValidIDIsRejected() async {
        await propertyCheck(count: 300, input: Self.randomID, Gen.int(in: 0...17), Gen.int(in: 1...10)) { parts, position, shift in
            let id = Self.make(parts.0, parts.1, parts.2, parts.3, parts.4)
            var chars = Array(id.text)
            let alphabet = Array("0123456789X")
            let old = alphabet.firstIndex(of: chars[position])!
            chars[position] = alphabet[(old + shift) % 11]
            #expect((try? ResidentID(String(chars))) == nil, "\(String(chars)) differs from \(id.text) at \(position)")
        }
    }

    @Test func knownGoodNumberIsAccepted() throws {
        let id = try ResidentID("411523198807210128")
        #expect(id.birthDate == (try CalendarDate(year: 1988, month: 7, day: 21)))
        #expect(id.regionPrefix == "411523")
    }

    @Test(arguments: [
        ("", "18 characters"), ("41152319880721012", "18 characters"), ("4115231988072101288", "18 characters"),
        ("41152319880721012x", "18 characters"), ("4115231988O7210128", "18 characters"), ("４１1523198807210128", "18 characters"),
        ("411523198802300121", "birth date"), ("411523188807210121", "from 1900"), ("411523198813210128", "birth date"),
        ("411523198807210127", "check character"),
    ])
    func malformedNumberIsRejectedWithItsReason(_ text: String, _ reasonMentions: String) {
        #expect(throws: InvalidValue.self) { try ResidentID(text) }
        do { _ = try ResidentID(text) } catch { #expect(error.reason.contains(reasonMentions), "\(error.reason)") }
    }
}
