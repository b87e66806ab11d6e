import Foundation

/// OneWindow's stable id for a person (a UUID), resolved from identities by the intake.
public struct PersonID: Hashable, Sendable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses a UUID in its canonical text form.
    public init(_ text: String) throws(InvalidValue) {
        guard let uuid = CanonicalUUID.parse(text) else { throw InvalidValue("a person id is a UUID like 0b7f3c8e-...-...") }
        self.uuid = uuid
    }

    /// Lowercase canonical text.
    public var description: String { uuid.lowercasedString }
}

/// Parsing of the 36-character hyphenated UUID form only (Foundation accepts nothing else either, but says nothing why).
enum CanonicalUUID {
    static func parse(_ text: String) -> UUID? {
        text.utf8.count == 36 ? UUID(uuidString: text) : nil
    }
}
