import API
import ArgumentParser
import Foundation
import Intake
import Kafka
import Logging

/// `onewindow simulate --people N --days D [--rate R] [--via kafka|http]`: a synthetic city's
/// department traffic, sent to a running intake the way department systems would.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Send a synthetic city's department traffic to a running intake (over Kafka or HTTP).",
        discussion: """
            Registrations, housing units, moves, certificate checks, permits, service requests and
            deliveries and departures of N people, dated over the last D days, each sent by the
            organization that states it. The city is the same for the same --label: sending it
            again only repeats events, which the intake answers as duplicates.
            """)

    @Option(help: "How many people (1-1,000,000).") var people = 1_000
    @Option(help: "The span of days the events are dated over, ending now (1-3,650).") var days = 30
    @Option(help: "Events per second; omitted: as fast as the door takes them.") var rate: Double?
    @Option(help: "The door: kafka (the ingest topic) or http (POST /v1/events).") var via = "kafka"
    @Option(help: "The intake's base URL for --via http (default: http://ONEWINDOW_HTTP_HOST:ONEWINDOW_HTTP_PORT).") var url: String?
    @Option(help: "Names the city: event ids and housing units follow from it (the people, by identity, are the same for every label).") var label = "demo"

    func validate() throws {
        if let problem = DepartmentTraffic.problem(people: people, days: days, rate: rate, optionPrefix: "") { throw ValidationError(problem) }
        guard ["kafka", "http"].contains(via) else { throw ValidationError("--via must be kafka or http, not '\(via)'") }
        if let url, URL(string: url)?.host == nil { throw ValidationError("--url '\(url)' is not an http URL with a host") }
        guard !label.isEmpty, label.utf8.count <= 32, label.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw ValidationError("--label must be 1-32 lowercase letters, digits and hyphens")
        }
    }

    func run() async throws {
        let environment = try loadEnvironmentOrExit()
        let logger = Logger(label: "onewindow.simulate")
        let traffic = DepartmentTraffic(people: people, days: days, rate: rate, label: label)
        let report = { (tally: DepartmentTraffic.Tally) in print("simulate: \(tally)") }
        do {
            print("simulate: done, \(try await send(traffic, environment: environment, logger: logger, report: report))")
        } catch {
            FileHandle.standardError.write(Data("simulate: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func send(_ traffic: DepartmentTraffic, environment: OneWindowEnvironment, logger: Logger,
                      report: @escaping (DepartmentTraffic.Tally) -> Void) async throws -> DepartmentTraffic.Tally {
        let tally: DepartmentTraffic.Tally
        if via == "http" {
            let secrets = try configured { () throws(ConfigurationError) in try Secrets.load() }
            let base = URL(string: url ?? "http://\(environment.httpHost):\(environment.httpPort)")!
            let organizations = try configured { () throws(ConfigurationError) in try loadOrganizations() }
            let door = try await HTTPDoor.make(url: base, authority: try await TokenAuthority(secret: secrets.tokenSecret), organizations: organizations)
            tally = try await traffic.send(through: door) { report($0) }
        } else {
            let producer = try ServiceAssembly(environment: environment, logger: logger).producer()
            let topics = IntakeTopics(prefix: environment.topicPrefix)
            tally = try await traffic.publish(with: producer, to: topics.ingest, progress: report)
            print("simulate: the intake answers on \(topics.rejected) and at GET /v1/events/{source}/{id}")
        }
        return tally
    }
}
