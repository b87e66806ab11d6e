@testable import Projector
import Testing

@Suite("Rounds")
struct RoundsTests {
    static func event(_ subject: String, _ offset: Int64) -> BatchEvent {
        BatchEvent(topic: "t", partition: 0, offset: offset, canonical: "person", subject: subject, type: nil,
                   eventID: nil, position: nil, time: nil, value: "{}")
    }

    @Test func aSubjectAppearsAtMostOncePerRoundAndKeepsItsOrder() {
        let events = ["a", "b", "a", "c", "a", "b"].enumerated().map { Self.event($1, Int64($0)) }
        let rounds = BatchApplier.rounds(events)
        #expect(rounds.map { $0.map(\.event.subject) } == [["a", "b", "c"], ["a", "b"], ["a"]])
        #expect(rounds.map { $0.map(\.seq) } == [[0, 1, 3], [2, 5], [4]])
        for round in rounds { #expect(Set(round.map(\.event.subject)).count == round.count) }
    }

    @Test func aBatchOfDistinctSubjectsIsOneRound() {
        let rounds = BatchApplier.rounds((0..<50).map { Self.event("s\($0)", Int64($0)) })
        #expect(rounds.count == 1)
        #expect(rounds[0].count == 50)
    }
}

@Suite("Consumer groups")
struct ConsumerGroupNameTests {
    @Test func twoEnvironmentsOnOneBrokerNeverShareAGroup() throws {
        let residents = try #require(ProjectorTestStack.catalog.definition(named: "police.residents"))
        let live = try ReadModelNamespace()
        let staging = try ReadModelNamespace(prefix: "staging_")
        let names = [
            live.groupID(residents, version: 1, topicPrefix: "onewindow"),
            live.groupID(residents, version: 2, topicPrefix: "onewindow"),
            live.groupID(residents, version: 1, topicPrefix: "other"),
            staging.groupID(residents, version: 1, topicPrefix: "onewindow"),
        ]
        #expect(Set(names).count == names.count)
        #expect(names[0] == "onewindow.projector.police.residents.v1")
    }
}
