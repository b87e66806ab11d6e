import Testing
import Domain

@Suite("RegionCode: 12 digits, trailing zero parts name a higher level")
struct RegionCodeTests {
    @Test(arguments: [
        ("320000000000", RegionLevel.province), ("320500000000", .city), ("320505000000", .county),
        ("320505001000", .township), ("320505001001", .village),
    ])
    func codeNamesTheLevelOfItsDeepestNonZeroPart(_ text: String, _ level: RegionLevel) throws {
        #expect(try RegionCode(text).level == level)
    }

    @Test func prefixesNameTheContainingRegions() throws {
        let village = try RegionCode("320505001001")
        #expect(village.province.text == "320000000000")
        #expect(village.city?.text == "320500000000")
        #expect(village.county?.text == "320505000000")
        #expect(village.township?.text == "320505001000")
        #expect(try RegionCode("320500000000").county == nil)
        #expect(try RegionCode("320500000000").contains(village))
        #expect(try !RegionCode("320600000000").contains(village))
    }

    @Test(arguments: ["", "32050500100", "3205050010011", "32050500100a", "000000000000", "320005000000",
                      "320500001000", "320505000001", "３20505001001", " 320505001001"])
    func malformedCodeIsRejected(_ text: String) {
        #expect(throws: InvalidValue.self) { try RegionCode(text) }
    }
}
