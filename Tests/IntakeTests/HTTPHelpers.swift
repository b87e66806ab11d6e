import API
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Intake
import Logging

/// The application exactly as the executable builds it, with the intake routes, on a real socket.
extension IntakeTestStack {
    func withApp(_ body: @Sendable (HTTPDoor) async throws -> Void) async throws {
        let configuration = APIConfiguration(host: "127.0.0.1", port: 0, intake: IntakeRoutes(pipeline: pipeline, tokens: tokens))
        let app = buildApplication(configuration, logger: logger)
        try await app.test(.live) { client in try await body(HTTPDoor(client: client)) }
    }
}

/// A test's view of the HTTP door: send bytes with a token, get the status and JSON back.
struct HTTPDoor: Sendable {
    let client: any TestClientProtocol

    struct Answer: Sendable {
        /// The HTTP status code.
        let status: Int
        let json: JSONValue?
        var results: [JSONValue] { if case .array(let items)? = json { items } else { json.map { [$0] } ?? [] } }
    }

    func post(_ body: [UInt8], token: String?, headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer " + token }
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            Answer(status: response.status.code, json: try? JSONValue.parse(Array(response.body.readableBytesView)))
        }
    }

    func post(_ event: JSONValue, token: String?) async throws -> Answer { try await post(event.encoded(), token: token) }

    func post(batch: [JSONValue], token: String?) async throws -> Answer { try await post(JSONValue.array(batch).encoded(), token: token) }

    func status(source: String, id: String, token: String) async throws -> Answer {
        let encoded = source.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
        return try await status(path: "\(encoded)/\(id)", token: token)
    }

    /// `GET /v1/events/<path>` as written.
    func status(path: String, token: String) async throws -> Answer {
        try await client.execute(uri: "/v1/events/" + path, method: .get, headers: [.authorization: "Bearer " + token]) { response in
            Answer(status: response.status.code, json: try? JSONValue.parse(Array(response.body.readableBytesView)))
        }
    }
}
