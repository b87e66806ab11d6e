/// How one JSON member becomes a typed value: checks it and records problems at its pointer.
/// The rules mirror the keywords of Events/schemas one for one (see the comments on each).
struct FieldRule<T>: Sendable {
    let read: @Sendable (JSONNode, FieldPath, inout [ValidationError]) -> T?
}

extension FieldRule {
    /// `type` of the JSON value first, then a conversion that may throw a domain reason.
    static func fromString(_ convert: @escaping @Sendable (String) throws(InvalidValue) -> T) -> FieldRule<T> {
        FieldRule { value, at, errors in
            guard let text = value.stringValue else {
                errors.append(ValidationError(field: at.pointer, reason: "must be a string, got \(value.kindName)"))
                return nil
            }
            do throws(InvalidValue) { return try convert(text) } catch {
                errors.append(ValidationError(field: at.pointer, reason: error.reason))
                return nil
            }
        }
    }

    /// A nested closed object.
    static func object(_ type: T.Type) -> FieldRule<T> where T: JSONObjectCodable {
        FieldRule { value, at, errors in
            guard var reader = ObjectReader(value, at: at, errors: &errors) else { return nil }
            let result = T.read(&reader)
            reader.rejectUnknown(in: T.objectName)
            return reader.finish(into: &errors) ? result : nil
        }
    }

    /// `enum`: one of the raw values of `T`.
    /// The vocabularies are a handful of words, so a scan beats building a table per use.
    static func oneOf(_ type: T.Type) -> FieldRule<T> where T: RawRepresentable & CaseIterable & Sendable, T.RawValue == String {
        FieldRule { value, at, errors in
            if let found = T.allCases.first(where: { value.isString($0.rawValue) }) { return found }
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            errors.append(ValidationError(field: at.pointer, reason: "must be one of \(allowed)"))
            return nil
        }
    }
}

extension FieldRule where T == String {
    /// `type: string` with `minLength`/`maxLength` counted in Unicode scalars, as JSON Schema counts.
    static func text(_ lengths: ClosedRange<Int>, _ what: String = "text") -> FieldRule<String> {
        .fromString { (s: String) throws(InvalidValue) -> String in
            // A scalar takes 1-4 UTF-8 bytes: when every count the byte length allows is in
            // range, the scalars need not be counted (the common case).
            let bytes = s.utf8.count
            if bytes <= lengths.upperBound, (bytes + 3) / 4 >= lengths.lowerBound { return s }
            let n = s.unicodeScalars.count
            guard lengths.contains(n) else {
                throw InvalidValue(n == 0 ? "cannot be empty" : "must be \(lengths.lowerBound)-\(lengths.upperBound) characters of \(what), got \(n)")
            }
            return s
        }
    }

    /// `$defs/recordId`: a department's own id, 1-64 characters.
    static let recordID = text(1...64, "an identifier")
    /// `$defs/personName`.
    static let personName = text(1...100, "a name")
    /// `$defs/address`.
    static let address = text(1...200, "an address")
    /// `$defs/code`: lowercase code with single hyphens (`school-enrollment`).
    static let code = FieldRule<String>.fromString { (s: String) throws(InvalidValue) -> String in
        guard (1...64).contains(s.utf8.count), ASCII.isHyphenatedCode(s) else {
            throw InvalidValue("must be a lowercase code like school-enrollment (a-z, 0-9, single hyphens, at most 64)")
        }
        return s
    }
    /// `phone`: optional +, then 5-20 digits.
    static let phone = FieldRule<String>.fromString { (s: String) throws(InvalidValue) -> String in
        let b = Array(s.utf8)
        let digits = b.first == 0x2B ? b.dropFirst() : b[...]
        guard (5...20).contains(digits.count), ASCII.allDigits(digits) else {
            throw InvalidValue("must be 5-20 digits, optionally after a +, with no spaces")
        }
        return s
    }
}

extension FieldRule where T == CalendarDate {
    /// `$defs/date`.
    static let date = FieldRule.fromString { (s: String) throws(InvalidValue) -> CalendarDate in try CalendarDate(iso: s) }
}

extension FieldRule where T == RegionCode {
    /// `$defs/regionCode`.
    static let region = FieldRule.fromString { (s: String) throws(InvalidValue) -> RegionCode in try RegionCode(s) }
}

extension FieldRule where T == OrganizationID {
    /// `$defs/organizationId`.
    static let organization = FieldRule.fromString { (s: String) throws(InvalidValue) -> OrganizationID in try OrganizationID(s) }
}

extension FieldRule where T == Int {
    /// `type: integer` with `minimum`/`maximum` (2.0 counts as an integer, as in JSON Schema).
    static func integer(_ range: ClosedRange<Int>) -> FieldRule<Int> {
        FieldRule { value, at, errors in
            guard let n = value.integerValue else {
                errors.append(ValidationError(field: at.pointer, reason: "must be a whole number, got \(value.kindName == "a number" ? "a fraction" : value.kindName)"))
                return nil
            }
            guard range.contains(n) else {
                errors.append(ValidationError(field: at.pointer, reason: "must be between \(range.lowerBound) and \(range.upperBound)"))
                return nil
            }
            return n
        }
    }
}

extension FieldRule {
    /// `type: array` with `maxItems`, each item read by `item`.
    static func array<E>(of item: FieldRule<E>, maxItems: Int) -> FieldRule<[E]> where T == [E] {
        FieldRule<[E]> { value, at, errors in
            guard let items = value.arrayItems else {
                errors.append(ValidationError(field: at.pointer, reason: "must be an array, got \(value.kindName)"))
                return nil
            }
            var ok = true
            if items.count > maxItems {
                errors.append(ValidationError(field: at.pointer, reason: "may hold at most \(maxItems) entries"))
                ok = false
            }
            var out: [E] = []
            for (i, element) in items.enumerated() {
                if let v = item.read(element, FieldPath(at.pointer, index: i), &errors) { out.append(v) } else { ok = false }
            }
            return ok ? out : nil
        }
    }
}
