import Hummingbird

/// `/health/live` (the process answers) and `/health/ready` (every dependency answers).
struct HealthRoutes {
    let checks: [ReadinessCheck]

    func register(on router: Router<BasicRequestContext>) {
        router.get("health/live") { _, _ in HealthReport(status: "ok", checks: [:]) }
        router.get("health/ready") { _, _ in try await readiness() }
    }

    private func readiness() async throws -> EditedResponse<HealthReport> {
        let results = await withTaskGroup(of: (String, String).self) { group in
            for check in checks {
                group.addTask {
                    do { try await check.check(); return (check.name, "ok") } catch { return (check.name, "unreachable") }
                }
            }
            var results: [String: String] = [:]
            for await (name, status) in group { results[name] = status }
            return results
        }
        let ready = results.values.allSatisfy { $0 == "ok" }
        return EditedResponse(
            status: ready ? .ok : .serviceUnavailable,
            response: HealthReport(status: ready ? "ok" : "unavailable", checks: results)
        )
    }
}

/// The body of a health answer: overall status and one word per dependency.
struct HealthReport: ResponseEncodable {
    var status: String
    var checks: [String: String]
}
