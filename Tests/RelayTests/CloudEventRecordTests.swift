import Foundation
import Kafka
import Relay
import Store
import Testing

/// The record the relay makes of a stored event, byte for byte: a re-published event must be
/// the same record again, whichever version of the relay publishes it.
@Suite("The relay's CloudEvent record (no stack needed)")
struct CloudEventRecordTests {
    static func message(region: String?, metadata: String) -> OutboxMessage {
        let event = RecordedEvent(
            position: 42, stream: "person-1", streamVersion: 3, id: "evt-1", source: "/orgs/police/desk",
            type: "onewindow.resident.moved.v1", time: Date(timeIntervalSince1970: 1_772_000_000.25),
            recordedAt: Date(timeIntervalSince1970: 1_772_000_001), actor: "public-security", region: region,
            data: Data(#"{"a":"line\nbreak","b":[1,2]}"#.utf8), metadata: Data(metadata.utf8))
        return OutboxMessage(topic: "onewindow.person", key: "person-1", event: event)
    }

    @Test func theEnvelopeAndHeadersKeepTheirBytesAndOrder() {
        let record = CloudEventRecord.make(
            Self.message(region: "320505001001", metadata: #"{"traceparent":"00-ab","personid":"p-1","id":"spoof","Bad":"x","n":{"a":1},"flag":true,"count":7}"#),
            naming: TopicNaming(prefix: "city"))
        #expect(record.topic == "city.person")
        #expect(record.key == Array("person-1".utf8))
        #expect(String(decoding: record.value, as: UTF8.self) == #"{"specversion":"1.0","id":"evt-1","source":"/orgs/police/desk","type":"onewindow.resident.moved.v1","time":"2026-02-25T06:13:20.25Z","datacontenttype":"application/json","subject":"person-1","actor":"public-security","region":"320505001001","position":42,"streamversion":3,"count":7,"flag":true,"personid":"p-1","traceparent":"00-ab","data":{"a":"line\nbreak","b":[1,2]}}"#)
        #expect(record.headers.map(\.key) == ["content-type", "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                                               "ce_actor", "ce_region", "ce_position", "ce_streamversion"])
        #expect(record.headers.map { String(decoding: $0.value ?? [], as: UTF8.self) } == [
            "application/cloudevents+json", "1.0", "evt-1", "/orgs/police/desk", "onewindow.resident.moved.v1",
            "2026-02-25T06:13:20.25Z", "person-1", "public-security", "320505001001", "42", "3",
        ])
    }

    /// Without a region of its own, an event's metadata may name one as an extension.
    @Test func withoutARegionTheMetadataMayGiveOne() {
        let record = CloudEventRecord.make(Self.message(region: nil, metadata: #"{"region":"from-metadata"}"#), naming: TopicNaming())
        #expect(String(decoding: record.value, as: UTF8.self) == #"{"specversion":"1.0","id":"evt-1","source":"/orgs/police/desk","type":"onewindow.resident.moved.v1","time":"2026-02-25T06:13:20.25Z","datacontenttype":"application/json","subject":"person-1","actor":"public-security","position":42,"streamversion":3,"region":"from-metadata","data":{"a":"line\nbreak","b":[1,2]}}"#)
        #expect(!record.headers.contains { $0.key == "ce_region" })
    }
}
