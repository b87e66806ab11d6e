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
}
