import Foundation

/// The id of a case (a UUID chosen by whoever opens it; passed in, never generated in the core).
public struct CaseID: Hashable, Sendable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Parses a UUID in its canonical text form.
    public init(_ text: String) throws(InvalidValue) {
        guard let uuid = CanonicalUUID.parse(text) else { throw InvalidValue("a case id is a UUID") }
        self.uuid = uuid
    }

    /// Lowercase canonical text.
    public var description: String { uuid.lowercasedString }
}
