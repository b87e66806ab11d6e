import Foundation
import Domain
import Intake
import Store
import Testing

@testable import onewindow

/// The configuration door: every bad value stops the program with one line naming the variable.
@Suite("Configuration from the environment")
struct ConfigurationTests {
    static let good = [
        "ONEWINDOW_DATABASE_URL": "postgres://onewindow@127.0.0.1:5432/onewindow",
        "ONEWINDOW_KAFKA_BROKERS": "127.0.0.1:9092,127.0.0.2:9093",
    ]

    @Test func aCompleteEnvironmentLoadsWithItsDefaults() throws {
        let environment = try OneWindowEnvironment.load(Self.good)
        #expect(environment.kafkaBrokers == ["127.0.0.1:9092", "127.0.0.2:9093"])
        #expect(environment.topicPrefix == "onewindow")
        #expect(environment.httpPort == 8080)
        #expect(environment.databaseURL.database == "onewindow")
    }

    @Test(arguments: [
        ("ONEWINDOW_DATABASE_URL", nil),
        ("ONEWINDOW_DATABASE_URL", "mysql://x@h/db"),
        ("ONEWINDOW_DATABASE_URL", "postgres://127.0.0.1:5432/"),
        ("ONEWINDOW_KAFKA_BROKERS", nil),
        ("ONEWINDOW_KAFKA_BROKERS", "localhost"),
        ("ONEWINDOW_KAFKA_BROKERS", "h:1,h:99999"),
        ("ONEWINDOW_HTTP_PORT", "eighty"),
        ("ONEWINDOW_HTTP_PORT", "70000"),
        ("ONEWINDOW_TOPIC_PREFIX", "bad prefix!"),
    ] as [(String, String?)])
    func aBadValueNamesItsVariable(variable: String, value: String?) {
        var env = Self.good
        env[variable] = value
        #expect {
            _ = try OneWindowEnvironment.load(env)
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.variable == variable && error?.description.hasPrefix(variable) == true
        }
    }

    @Test func aDatabasePasswordNeverAppearsInTheMessage() {
        var env = Self.good
        env["ONEWINDOW_DATABASE_URL"] = "postgres://user:s3cret-pass@/nodb"
        #expect {
            _ = try OneWindowEnvironment.load(env)
        } throws: { error in
            "\(error)".contains("ONEWINDOW_DATABASE_URL") && !"\(error)".contains("s3cret-pass")
        }
    }

    @Test(arguments: [
        ("ONEWINDOW_TOKEN_SECRET", nil), ("ONEWINDOW_TOKEN_SECRET", "too-short"),
        ("ONEWINDOW_DATA_KEY", nil), ("ONEWINDOW_DATA_KEY", "not base64!"),
        ("ONEWINDOW_DATA_KEY", Data(count: 16).base64EncodedString()),
    ] as [(String, String?)])
    func aBadSecretNamesItsVariable(variable: String, value: String?) {
        var env = [
            "ONEWINDOW_TOKEN_SECRET": String(repeating: "k", count: 40),
            "ONEWINDOW_DATA_KEY": Data(count: 32).base64EncodedString(),
        ]
        env[variable] = value
        #expect {
            _ = try Secrets.load(env)
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test func theShippedOrganizationsFileLoads() throws {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ops/config/organizations.yaml")
        let directory = try loadOrganizations(["ONEWINDOW_ORGANIZATIONS_FILE": file.path])
        #expect(directory[try .init("public-security")] != nil)
    }

    @Test(arguments: [
        ("organizations:\n  - id: Bad Id\n    name: x\n    kind: department\n", "organizations[0].id"),
        ("organizations:\n  - id: ok\n    name: x\n    kind: ministry\n", "organizations[0].kind"),
        ("organizations: [", "not a valid organizations file"),
    ])
    func aBadOrganizationsFileNamesTheEntryAndField(text: String, expected: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try loadOrganizations(["ONEWINDOW_ORGANIZATIONS_FILE": path])
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.variable == "ONEWINDOW_ORGANIZATIONS_FILE" && error?.reason.contains(expected) == true
        }
    }
}
