/// An organization's id from the organizations file (`public-security`, `hometown-association-zhoukou`):
/// 1-64 lowercase letters and digits, single hyphens between them.
public struct OrganizationID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let text: String

    /// Validates the form.
    public init(_ text: String) throws(InvalidValue) {
        guard (1...64).contains(text.utf8.count), ASCII.isHyphenatedCode(text) else {
            throw InvalidValue("an organization id is 1-64 lowercase letters and digits with single hyphens between them, like public-security")
        }
        self.text = text
    }

    /// For literals in code and tests; a malformed literal is a programming error.
    public init(stringLiteral value: String) {
        do { try self.init(value) } catch { preconditionFailure("invalid organization literal \(value): \(error)") }
    }

    public var description: String { text }
}
