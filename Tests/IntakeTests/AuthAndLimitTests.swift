import API
import Domain
import Foundation
import Hummingbird
import Intake
import Testing

@Suite("The HTTP door refuses callers and bodies it cannot take, with the API's error shape")
struct AuthAndLimitTests {
    static let event = (try? Example.named("onewindow.resident.registered.v1/valid-minimal").event) ?? .null

    @Test func badTokensAreUnauthorizedNeverAServerError() async throws {
        try await IntakeTestStack.with { stack in
            let other = try await TokenAuthority(secret: "another-secret-that-is-long-enough-0123456789")
            let expired = try await stack.tokens.issue(organization: "public-security", role: .departmentSystem,
                                                       now: Date().addingTimeInterval(-86_400 * 2))
            let wrongSignature = try await other.issue(organization: "public-security", role: .departmentSystem)
            let wrongAudience = try await stack.tokens.sign(AccessClaims(
                subject: "x", organization: "public-security", role: .departmentSystem,
                expires: Date().addingTimeInterval(3600), audience: "elsewhere"))
            let emptyOrganization = try await stack.tokens.sign(AccessClaims(
                subject: "x", organization: "", role: .departmentSystem, expires: Date().addingTimeInterval(3600)))
            let tokens: [(String, String?)] = [("missing", nil), ("expired", expired), ("wrong signature", wrongSignature),
                                               ("wrong audience", wrongAudience), ("empty org claim", emptyOrganization),
                                               ("garbage", "not.a.token"), ("not bearer", "")]
            try await stack.withApp { door in
                for (what, token) in tokens {
                    let answer = try await door.post(Self.event, token: token)
                    #expect(answer.status == 401, "\(what)")
                    #expect(answer.json?["error"] == .string("unauthorized"), "\(what)")
                    #expect(answer.json?["message"]?.stringValue?.isEmpty == false, "\(what)")
                }
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 0)
            }
        }
    }

    @Test func aRoleThatDoesNotPublishIsForbidden() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let answer = try await door.post(Self.event, token: try await stack.token(org: "public-security", role: .reader))
                #expect(answer.status == 403)
                #expect(answer.json?["error"] == .string("forbidden"))
            }
        }
    }

    @Test func aBatchOverTheLimitIsRefusedNamingTheLimit() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let batch = (0..<1_001).map { Self.event.setting(["id"], to: .string("big-\($0)")) }
                let answer = try await door.post(batch: batch, token: try await stack.token(org: "public-security"))
                #expect(answer.status == 413)
                #expect(answer.json?["message"]?.stringValue?.contains("1000") == true)
                #expect(try await stack.count("SELECT count(*) FROM {schema}.events") == 0)
            }
        }
    }

    @Test(arguments: ["{\"specversion\": \"1.0\", ", "hello", "", "<event/>"])
    func aBodyThatIsNotJSONIsABadRequest(_ body: String) async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let answer = try await door.post(Array(body.utf8), token: try await stack.token(org: "public-security"))
                #expect(answer.status == 400)
                #expect(answer.json?["error"] == .string("not-json"))
            }
        }
    }

    @Test func jsonThatIsNotAnEventIsRejectedNotABadRequest() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let answer = try await door.post(Array("[42, {}]".utf8), token: try await stack.token(org: "public-security"))
                #expect(answer.status == 200)
                #expect(answer.results.map { $0["status"] } == [.string("rejected"), .string("rejected")])
            }
        }
    }

    @Test func anUnknownEventStatusIsUnknown() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let answer = try await door.status(source: "/orgs/health/clinic", id: "never-sent", token: try await stack.token(org: "health"))
                #expect(answer.status == 200)
                #expect(answer.json?["status"] == .string("unknown"))
            }
        }
    }

    @Test func anUnknownAddressAnswersInTheErrorShape() async throws {
        try await IntakeTestStack.with { stack in
            try await stack.withApp { door in
                let answer = try await door.status(path: "only-one-segment", token: try await stack.token(org: "health"))
                #expect(answer.status == 404)
                #expect(answer.json?["error"] == .string("not-found"))
            }
        }
    }
}
