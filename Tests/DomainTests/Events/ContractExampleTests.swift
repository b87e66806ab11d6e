import Testing
import Domain

@Suite("Events/examples: the Swift validator agrees with every labelled example")
struct ContractExampleTests {
    static let examples = (try? ContractFiles.examples()) ?? []

    @Test func thereIsAValidAndInvalidExampleForEveryEventType() {
        for type in EventType.allCases {
            #expect(Self.examples.contains { $0.name.hasPrefix(type.rawValue + "/valid-") }, "\(type.rawValue)")
            #expect(Self.examples.contains { $0.name.hasPrefix(type.rawValue + "/invalid-") }, "\(type.rawValue)")
        }
    }

    @Test(arguments: examples)
    func exampleIsAcceptedOrRejectedAtExactlyTheLabelledField(_ example: ContractFiles.Example) {
        let result = EventEnvelope.decode(json: example.event)
        if let field = example.brokenField {
            #expect(result.rejectedFields == [field])
        } else {
            #expect(result.rejectedFields == [])
        }
    }

    @Test(arguments: examples.filter { $0.brokenField == nil })
    func validExampleSurvivesReencodingUnchanged(_ example: ContractFiles.Example) throws {
        let envelope = try EventEnvelope.decode(json: example.event).get()
        #expect(try JSONValue.parse(envelope.encodedJSON()) == JSONValue.parse(example.event))
        #expect(try EventEnvelope.decode(json: envelope.encodedJSON()).get() == envelope)
    }
}
