import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Health endpoints over a real socket")
struct HealthTests {
    struct Down: Error {}

    @Test func liveAnswersOkWithoutCheckingDependencies() async throws {
        let app = buildApplication(APIConfiguration(port: 0, readiness: [ReadinessCheck(name: "db") { throw Down() }]),
                                   logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/health/live", method: .get)
            #expect(response.status == .ok)
        }
    }

    @Test func readyIs200WhenEveryDependencyAnswers() async throws {
        let checks = [ReadinessCheck(name: "postgres") {}, ReadinessCheck(name: "kafka") {}]
        let app = buildApplication(APIConfiguration(port: 0, readiness: checks), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .ok)
            let body = String(buffer: response.body)
            #expect(body.contains("\"postgres\":\"ok\""))
            #expect(body.contains("\"kafka\":\"ok\""))
        }
    }

    @Test func readyIs503AndNamesTheDependencyThatIsDown() async throws {
        let checks = [ReadinessCheck(name: "postgres") {}, ReadinessCheck(name: "kafka") { throw Down() }]
        let app = buildApplication(APIConfiguration(port: 0, readiness: checks), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body).contains("\"kafka\":\"unreachable\""))
        }
    }
}
