import ArgumentParser
import Domain
import Foundation
import Intake
import Logging
import Store

/// `onewindow erase --person ID`: crypto-shred one person by deleting their key.
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Crypto-shred one person: delete their key, so their names and identity numbers can no longer be read anywhere.")

    @Option(help: "The personId (UUID).") var person: String

    func validate() throws {
        guard UUID(uuidString: person) != nil else { throw ValidationError("--person '\(person)' is not a UUID") }
    }

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let logger = Logger(label: "onewindow.erase")
        let id = UUID(uuidString: person)!
        let erased = try await withPostgres(environment, logger: logger) { client in
            try await PersonErasure.erase(person: id, client: client, store: StoreConfiguration(), logger: logger)
        }
        print(erased ? "erase: person \(id.lowercasedString) erased (key deleted)" : "erase: no key for person \(id.lowercasedString) (unknown or already erased)")
    }
}
