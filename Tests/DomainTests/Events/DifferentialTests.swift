import Testing
import PropertyBased
import Domain

@Suite("The Swift validator and the JSON Schemas (Events/check) agree")
struct DifferentialTests {
    /// Each run: 200 random events from the seeds PropertyBased draws, about two thirds with one
    /// corruption; both validators must accept the same lines and reject them at the same fields.
    @Test(.shrinking(false))
    func swiftAndSchemaAgreeOnRandomValidAndCorruptedEvents() async {
        await propertyCheck(count: 5, input: Gen.uint64(in: 0 ... .max).array(of: 200)) { seeds in
            var lines: [[UInt8]] = []
            var corrupted = 0
            for seed in seeds {
                var events = RandomEvents(rng: SplitMix64(seed: seed))
                var doc = events.envelope()
                if Int.random(in: 0..<3, using: &events.rng) > 0 {
                    doc = Corruption.apply(doc, rng: &events.rng)
                    corrupted += 1
                }
                lines.append(doc.encoded())
            }
            let verdicts: [Set<String>?]
            do { verdicts = try ContractFiles.schemaVerdicts(lines) } catch {
                Issue.record("Events/check --corpus failed: \(error)")
                return
            }
            #expect(verdicts.count == lines.count)
            var rejected = 0
            for (line, schema) in zip(lines, verdicts) {
                let swift = EventEnvelope.decode(json: line).rejectedFields
                if !swift.isEmpty { rejected += 1 }
                #expect(swift == (schema ?? []), "\(String(decoding: line, as: UTF8.self))")
            }
            #expect(rejected > 0 && rejected <= corrupted, "the corpus exercises both answers")
        }
    }

    /// The same for case events: 200 random events encoded by `CaseEventWire`, about two thirds with one
    /// corruption of their data; the schemas (`Events/check --emitted-corpus`) and `CaseEventWire.decode`
    /// must accept the same lines and reject them at the same fields, and every uncorrupted line is valid.
    @Test(.shrinking(false))
    func caseCodecAndSchemaAgreeOnRandomValidAndCorruptedEvents() async {
        await propertyCheck(count: 5, input: Gen.uint64(in: 0 ... .max).array(of: 200)) { seeds in
            var lines: [(type: String, data: JSONValue, corrupted: Bool)] = []
            for seed in seeds {
                var events = RandomCaseEvents(rng: SplitMix64(seed: seed))
                let (caseID, event) = events.next()
                let (type, encoded) = CaseEventWire.encode(event, caseID: caseID)
                var data = encoded
                let corrupt = Int.random(in: 0..<3, using: &events.rng) > 0
                if corrupt { data = Corruption.apply(data, rng: &events.rng, strings: RandomCaseEvents.trickyStrings) }
                lines.append((type, data, corrupt))
            }
            let verdicts: [Set<String>?]
            do {
                verdicts = try ContractFiles.schemaVerdicts(lines.map { RandomCaseEvents.envelope(type: $0.type, data: $0.data).encoded() }, emitted: true)
            } catch {
                Issue.record("Events/check --emitted-corpus failed: \(error)")
                return
            }
            #expect(verdicts.count == lines.count)
            var rejected = 0
            for (line, schema) in zip(lines, verdicts) {
                let swift = CaseEventWire.decode(type: line.type, data: line.data, at: CaseEventWireTests.t0).rejectedFields
                if !swift.isEmpty { rejected += 1 }
                if !line.corrupted { #expect(swift.isEmpty && schema == nil, "\(line.type) \(String(decoding: line.data.encoded(), as: UTF8.self))") }
                #expect(swift == (schema ?? []), "\(line.type) \(String(decoding: line.data.encoded(), as: UTF8.self))")
            }
            #expect(rejected > 0 && rejected <= lines.count(where: \.corrupted), "the corpus exercises both answers")
        }
    }
}
