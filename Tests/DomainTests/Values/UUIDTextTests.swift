import Domain
import Foundation
import Testing

@Suite struct UUIDTextTests {
    @Test func theLowerCaseTextIsFoundationsTextLowerCased() {
        var generator = SplitMix64(seed: 20261202)
        let edges = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                     UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        let random = (0..<1_000).map { _ in
            let words = [generator.next(), generator.next()]
            return words.withUnsafeBytes { UUID(randomBytes: $0) }
        }
        for id in edges + random {
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(uuidString: id.lowercasedString) == id)
        }
        #expect(edges[1].lowercasedString == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test func randomBytesMakeAVersion4UUIDAndKeepTheOther122Bits() {
        let ones = [UInt8](repeating: 0xFF, count: 16)
        let zeros = [UInt8](repeating: 0x00, count: 16)
        let fromOnes = ones.withUnsafeBytes { UUID(randomBytes: $0) }
        let fromZeros = zeros.withUnsafeBytes { UUID(randomBytes: $0) }
        #expect(fromOnes.lowercasedString == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        #expect(fromZeros.lowercasedString == "00000000-0000-4000-8000-000000000000")
    }
}
