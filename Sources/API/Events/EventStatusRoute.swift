import Domain
import Foundation
import Hummingbird
import Logging
import Intake
import Store

extension EventRoutes {
    /// `GET /v1/events/{source}/{id}`: `source` percent-encoded as one segment
    /// (`%2Forgs%2Fhealth%2Fclinic`) or written out as path segments (`orgs/health/clinic`,
    /// the leading slash implied); the last segment is the id.
    func status(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        _ = try await intake.tokens.verify(authorization: request.headers[.authorization])
        let raw = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).dropFirst(2)
        guard raw.count >= 2, let id = raw.last?.removingPercentEncoding,
              let source = raw.dropLast().joined(separator: "/").removingPercentEncoding
        else { throw APIError.notFound("ask for /v1/events/{source}/{id}, with the source percent-encoded") }
        do {
            var status = try await intake.pipeline.status(source: source, id: id)
            if status == .unknown, !source.hasPrefix("/") {
                status = try await intake.pipeline.status(source: "/" + source, id: id)
            }
            return Self.ok(Self.json(status, id: id, source: source))
        } catch {
            context.logger.error("intake unavailable", metadata: ["error": "\(error)"])
            throw APIError.unavailable("the event store is unavailable; ask again later")
        }
    }

    static func json(_ status: IngestStatus, id: String, source: String) -> JSONValue {
        var m: [String: JSONValue] = ["id": .string(id), "source": .string(source)]
        switch status {
        case .accepted(let position):
            m["status"] = .string("accepted")
            m["position"] = .number(Double(position))
        case .rejected(let reason, let field):
            m["status"] = .string("rejected")
            m["reason"] = .string(reason)
            m["field"] = field.map(JSONValue.string)
        case .unknown:
            m["status"] = .string("unknown")
        }
        return .object(m)
    }
}
