import Relay
import Testing

@Suite("Topic naming")
struct TopicNamingTests {
    @Test func aRecordedTopicKeepsItsDomainUnderTheRelaysPrefix() {
        var naming = TopicNaming(prefix: "bench-1")
        #expect(naming.publishedTopic(forRecorded: "onewindow.person") == "bench-1.person")
        #expect(naming.publishedTopic(forRecorded: "case") == "bench-1.case")
        #expect(naming.publishedTopic(forRecorded: "x.y.housing") == "bench-1.housing")
        #expect(naming.publishedTopic(forRecorded: "onewindow.audit") == "bench-1.audit")
        #expect(naming.publishedTopic(forRecorded: "onewindow.") == "bench-1.")
        naming.prefix = "onewindow"
        #expect(naming.publishedTopic(forRecorded: "onewindow.housing") == "onewindow.housing")
        #expect(naming.publishedTopic(forRecorded: "old.person") == naming.name(of: .person))
        #expect(naming == TopicNaming())
    }
}
