import Foundation
import Store

/// Builds events for relay tests: canonical events of a few subjects, interleaved.
enum Fixture {
    static func event(
        id: String = UUID().uuidString, type: String = "onewindow.test.happened.v1",
        topic: String? = "onewindow.person", data: String = #"{"n":1}"#, metadata: String = "{}"
    ) -> NewEvent {
        NewEvent(id: id, source: "/orgs/test/desk", type: type, time: Date(timeIntervalSince1970: 1_772_000_000.25),
                 actor: "test-org", region: "320505001001", data: Data(data.utf8), metadata: Data(metadata.utf8),
                 topic: topic)
    }

    /// `count` events spread round-robin over `subjects`, each with its ordinal in `data.n`.
    static func interleaved(count: Int, subjects: [String], topic: String = "onewindow.person") -> [BatchedEvent] {
        (0..<count).map { n in
            BatchedEvent(stream: subjects[n % subjects.count], event: event(topic: topic, data: #"{"n":\#(n)}"#))
        }
    }
}
