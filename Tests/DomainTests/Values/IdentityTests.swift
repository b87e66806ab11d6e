import Testing
import Domain

@Suite("Identity and ids: validated for their kind")
struct IdentityTests {
    @Test(arguments: [
        (IdentityKind.residentID, "411523198807210127"), (.residentID, "E12345678"), (.passport, "e12345678"),
        (.passport, "E12"), (.passport, "E1234567890123456789X"), (.passport, "E 1234567"), (.other, ""),
        (.other, String(repeating: "9", count: 65)),
    ])
    func numberThatDoesNotFitItsKindIsRejected(_ kind: IdentityKind, _ number: String) {
        #expect(throws: InvalidValue.self) { try Identity(kind: kind, number: number) }
    }

    @Test(arguments: [(IdentityKind.residentID, "411523198807210128"), (.passport, "E12345678"), (.other, "军官证 042")])
    func numberFittingItsKindIsAccepted(_ kind: IdentityKind, _ number: String) throws {
        #expect(try Identity(kind: kind, number: number).number == number)
    }

    @Test(arguments: ["", "Public-Security", "public--security", "-health", "health-", "health_1", String(repeating: "a", count: 65)])
    func malformedOrganizationIDIsRejected(_ text: String) {
        #expect(throws: InvalidValue.self) { try OrganizationID(text) }
    }

    @Test(arguments: ["", "not-a-uuid", "0b7f3c8e5a7e4c439d8e0e1f7f6b2c11", "{0b7f3c8e-5a7e-4c43-9d8e-0e1f7f6b2c11}"])
    func malformedPersonOrCaseIDIsRejected(_ text: String) {
        #expect(throws: InvalidValue.self) { try PersonID(text) }
        #expect(throws: InvalidValue.self) { try CaseID(text) }
    }
}
