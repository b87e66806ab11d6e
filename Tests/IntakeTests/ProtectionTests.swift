import Crypto
import Domain
import Foundation
import Intake
import Store
import Testing

@Suite("Keys, blind index, sealed fields and the organizations file (no stack needed)")
struct ProtectionTests {
    static let protection = try! DataProtection(masterKey: IntakeTestStack.dataKey)

    @Test func theBlindIndexIsStableAndKeyed() throws {
        let identity = try Identity(kind: .residentID, number: "411523198807210128")
        let other = try DataProtection(masterKey: "another-master-key-that-is-long-enough-012345")
        #expect(Self.protection.blindIndex(of: identity) == Self.protection.blindIndex(of: identity))
        #expect(Self.protection.blindIndex(of: identity) != other.blindIndex(of: identity))
        #expect(Self.protection.blindIndex(of: identity).bytes.count == 32)
    }

    /// Stored blind hashes must stay findable: the index is HMAC-SHA256, under the key HKDF
    /// derives from the master key, of `kind ‖ 0 ‖ NUMBER` — whatever way the code computes it.
    @Test func theBlindIndexKeepsItsDefinition() throws {
        let master = "another-master-key-that-is-long-enough-012345"
        let protection = try DataProtection(masterKey: master)
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Array(master.utf8)), salt: Array("onewindow".utf8),
                                         info: Array("identity-blind-index.v1".utf8), outputByteCount: 32)
        // The intake's batch indexer (OpenSSL) gives the same bytes, identity after identity.
        let indexer = try protection.blindIndexer()
        let identities = [(IdentityKind.residentID, "411523198807210128"), (.passport, "E12345678"),
                          (.other, "hk-m123"), (.other, "straße-7 ǆ"), (.other, String(repeating: "z", count: 64))]
        for _ in 0..<2 {
            for (kind, number) in identities {
                let identity = try Identity(kind: kind, number: number)
                let expected = Array(HMAC<SHA256>.authenticationCode(for: Array(kind.rawValue.utf8) + [0] + Array(number.uppercased().utf8), using: key))
                #expect(protection.blindIndex(of: identity).bytes == expected)
                #expect(protection.blindIndex(of: identity).bytes == expected)  // the shared start is copied, never advanced
                #expect(try indexer.index(identity).bytes == expected, "\(kind) \(number)")
            }
        }
    }

    /// An event's metadata without extension attributes is written member by member in sorted
    /// order; it must be the bytes of the general way (the list of members, sorted and encoded),
    /// for every combination of the members it can have.
    @Test func metadataWrittenDirectlyEqualsTheSortedListEncoded() throws {
        let example = try #require(try Example.all().first { $0.brokenField == nil && $0.name.contains("resident") })
        guard case .success(let plain) = EventEnvelope.decode(example.event) else {
            Issue.record("\(example) does not decode")
            return
        }
        var checked = 0
        for contentType in [nil, "application/json"] {
            for schema in [nil, "https://example.org/s\"1"] {
                for subject in [nil, "unit \\ 7"] {
                    for (personID, unregistered) in [(String?.none, false), ("3f0c1a52-5a7e-4c43-9d8e-0e1f7f6b2c11", false),
                                                     ("3f0c1a52-5a7e-4c43-9d8e-0e1f7f6b2c11", true)] {
                        for extensions: [String: JSONValue] in [[:], ["traceparent": .string("00-ab"), "zz": .bool(true)]] {
                            var envelope = plain
                            (envelope.dataContentType, envelope.dataSchema, envelope.subject, envelope.extensions) =
                                (contentType, schema, subject, extensions)
                            let written = CanonicalEvent.metadata(of: envelope, personID: personID, unregistered: unregistered)
                            let listed = CanonicalEvent.encodedMetadata(CanonicalEvent.members(of: envelope, personID: personID,
                                                                                                unregistered: unregistered))
                            #expect(written == listed, "\(String(decoding: written, as: UTF8.self))")
                            // And what it holds, built here from the parts.
                            var expected = extensions
                            expected["datacontenttype"] = contentType.map(JSONValue.string)
                            expected["dataschema"] = schema.map(JSONValue.string)
                            expected["subject"] = subject.map(JSONValue.string)
                            expected["personid"] = personID.map(JSONValue.string)
                            expected["personRegistered"] = unregistered ? .bool(false) : nil
                            #expect(try JSONValue.parse(written) == .object(expected))
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 48)
    }

    @Test func aWrappedKeyOpensOnlyForItsPersonAndMasterKey() throws {
        let person = UUID()
        let key = Self.protection.newPersonKey()
        let wrapped = try Self.protection.wrap(key, for: person)
        let data = JSONValue.object(["name": .string("张伟")])
        let unwrapped = try Self.protection.unwrap(wrapped, for: person)
        #expect(try PersonalFields.reveal(PersonalFields.protect(data, with: key), with: unwrapped) == data)
        #expect(throws: DataProtectionError.self) { try Self.protection.unwrap(wrapped, for: UUID()) }
        let other = try DataProtection(masterKey: "another-master-key-that-is-long-enough-012345")
        #expect(throws: DataProtectionError.self) { try other.unwrap(wrapped, for: person) }
    }

    /// Stored wrapped keys must keep opening: a wrapped key is swift-crypto's AES-GCM combined
    /// box (nonce ‖ ciphertext ‖ tag) of the data key under the key HKDF derives for wrapping,
    /// with the person id's lowercase text as authenticated data — whatever code computes it.
    /// One wrapper wraps and unwraps many keys; an altered byte or another person fails.
    @Test func wrappedKeysKeepTheirDefinition() throws {
        let master = "another-master-key-that-is-long-enough-012345"
        let protection = try DataProtection(masterKey: master)
        let wrapping = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Array(master.utf8)), salt: Array("onewindow".utf8),
                                              info: Array("person-key-wrap.v1".utf8), outputByteCount: 32)
        let wrapper = protection.keyWrapper()
        for _ in 0..<50 {
            let person = UUID()
            let key = protection.newPersonKey()
            let binding = Data(person.uuidString.lowercased().utf8)
            let keyBytes = key.withUnsafeBytes { Data($0) }
            // Wrapped as before: opens here.
            let before = try AES.GCM.seal(keyBytes, using: wrapping, authenticating: binding).combined!
            #expect(try wrapper.unwrap(before, for: person).withUnsafeBytes { Data($0) } == keyBytes)
            // Wrapped here: opens as before, and here.
            let now = try wrapper.wrap(key, for: person)
            #expect(now.count == 60)
            #expect(try AES.GCM.open(AES.GCM.SealedBox(combined: now), using: wrapping, authenticating: binding) == keyBytes)
            #expect(try wrapper.unwrap(now, for: person).withUnsafeBytes { Data($0) } == keyBytes)
            var altered = now
            altered[Int.random(in: 0..<60)] ^= 0x01
            #expect(throws: DataProtectionError.self) { try wrapper.unwrap(altered, for: person) }
            #expect(throws: DataProtectionError.self) { try wrapper.unwrap(now, for: UUID()) }
            #expect(throws: DataProtectionError.self) { try wrapper.unwrap(now.prefix(59), for: person) }
        }
    }

    @Test func aShortMasterKeyIsRefused() {
        #expect(throws: DataProtectionError.self) { try DataProtection(masterKey: "short") }
    }

    @Test(arguments: Example.valid)
    func personalFieldsAreSealedAndRevealedBack(_ example: Example) throws {
        let data = try #require(example.event["data"])
        let key = Self.protection.newPersonKey()
        let sealed = try PersonalFields.protect(data, with: key)
        for secret in ["张伟", "411523198807210128", "13800138000", "李娜", "320506199003154322", "张小明"] {
            #expect(!sealed.text.contains(secret), "\(example)")
        }
        #expect(try PersonalFields.reveal(sealed, with: key) == data)
        if data["name"] != nil || data["identity"] != nil { #expect(sealed != data) }

        // The bytes the store keeps are written without the sealed tree: same fields sealed.
        let bytes = try PersonalFields.protectedJSON(data, with: key)
        let written = try JSONValue.parse(bytes)
        for secret in ["张伟", "411523198807210128", "13800138000", "李娜", "320506199003154322", "张小明"] {
            #expect(!String(decoding: bytes, as: UTF8.self).contains(secret), "\(example)")
        }
        #expect(Self.masked(written) == Self.masked(sealed), "\(example)")
        #expect(try PersonalFields.reveal(written, with: key) == data)
        #expect(written.encoded() == bytes, "compact, keys sorted")

        // The intake writes them from the typed event: the same fields sealed, the same layout.
        let event = try EventEnvelope.decode(example.event).get().event
        let typed = try event.canonicalData(personal: PersonalFields.Sealer(key: key))
        let typedTree = try JSONValue.parse(typed)
        #expect(Self.masked(typedTree) == Self.masked(sealed), "\(example)")
        #expect(try PersonalFields.reveal(typedTree, with: key) == data)
        #expect(typedTree.encoded() == typed, "compact, keys sorted")
    }

    /// Sealed strings of every length open back: the base64 is written by OpenSSL into a
    /// temporary buffer, and its padding depends on the length modulo 3 (and long strings do
    /// not fit the stack).
    @Test func sealedStringsOfEveryLengthOpenBack() throws {
        let key = Self.protection.newPersonKey()
        let texts = (0..<64).map { String(repeating: "a", count: $0) } + (1..<12).map { String(repeating: "张", count: $0) + "x" }
            + [String(repeating: "长文本", count: 3_000)]
        for text in texts {
            let data = JSONValue.object(["name": .string(text)])
            let bytes = try PersonalFields.protectedJSON(data, with: key)
            let written = try JSONValue.parse(bytes)
            let sealed = try #require(written["name"]?.stringValue)
            let base64 = String(sealed.dropFirst("enc:v1:".count))
            #expect(base64.count % 4 == 0 && !base64.contains("\n"))
            #expect(Data(base64Encoded: base64)?.count == 12 + text.utf8.count + 16)
            #expect(try PersonalFields.reveal(written, with: key) == data, "length \(text.utf8.count)")
        }
    }

    /// `value` with every sealed string replaced by one marker (nonces differ between seals).
    static func masked(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s) where s.hasPrefix("enc:v1:"): .string("sealed")
        case .array(let items): .array(items.map(masked))
        case .object(let members): .object(members.mapValues(masked))
        default: value
        }
    }

    @Test func keysNoncesAndPersonIdsNeverRepeatAcrossRefillsOfTheRandomPool() throws {
        // 2,000 keys take 64,000 bytes of the pool (15 refills); a repeat would mean reused bytes.
        let keys = (0..<2_000).map { _ in Self.protection.newPersonKey().withUnsafeBytes { Array($0) } }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.count == 32 })
        let key = Self.protection.newPersonKey()
        let sealed = try (0..<2_000).map { _ in try PersonalFields.protectedJSON(.object(["name": .string("张伟")]), with: key) }
        let nonces = sealed.map { bytes -> [UInt8] in
            let text = String(decoding: bytes, as: UTF8.self)
            let base64 = text.split(separator: "enc:v1:")[1].dropLast(2)
            return Array(Data(base64Encoded: String(base64))!.prefix(12))
        }
        #expect(Set(nonces).count == nonces.count)
        // Person ids come from the same pool: 4,000 ids take 64,000 bytes (15 more refills).
        let ids = (0..<4_000).map { _ in RandomPool.shared.uuid() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { id in
            let text = id.lowercasedString
            return text[text.index(text.startIndex, offsetBy: 14)] == "4" && "89ab".contains(text[text.index(text.startIndex, offsetBy: 19)])
        })
    }

    @Test func theOrganizationsFileIsValidatedEntryByEntry() throws {
        let good = OrganizationsFile(organizations: [
            .init(id: "health", name: "Health", kind: "department", region: "320505", publishes: ["onewindow.certificate.checked.v1"]),
        ])
        let directory = try OrganizationDirectory(file: good)
        #expect(directory.refusal(actor: "health", type: .certificateChecked) == nil)
        #expect(directory.refusal(actor: "health", type: .residentRegistered)?.field == "/type")
        #expect(directory.refusal(actor: "nobody", type: .certificateChecked)?.field == "/actor")
        let bad: [OrganizationsFile.Entry] = [
            .init(id: "Health", name: "x", kind: "department"),
            .init(id: "health", name: "x", kind: "ministry"),
            .init(id: "health", name: "x", kind: "office", region: "32x"),
            .init(id: "health", name: "x", kind: "office", publishes: ["onewindow.nothing.v1"]),
        ]
        for entry in bad {
            #expect(throws: OrganizationsFileError.self) { try OrganizationDirectory(file: OrganizationsFile(organizations: [entry])) }
        }
    }
}
