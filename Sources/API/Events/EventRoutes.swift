import Domain
import Foundation
import Hummingbird
import Logging
import Intake

/// `POST /v1/events` (one CloudEvent, a JSON array of up to `maxBatch`, or one event in
/// binary mode with `ce-` headers) and `GET /v1/events/{source}/{id}`: the HTTP door of the
/// intake. A single event is answered with one result object, an array with an array of
/// results in the same order.
struct EventRoutes: Sendable {
    let intake: IntakeRoutes

    func register(on router: Router<BasicRequestContext>) {
        router.post("v1/events") { request, context in try await post(request, context) }
        router.get("v1/events/**") { request, context in try await status(request, context) }
    }

    func post(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try await intake.tokens.verify(authorization: request.headers[.authorization])
        guard caller.role == .departmentSystem else {
            throw APIError.forbidden("only department systems publish events; this token's role is \(caller.role.rawValue)")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: intake.maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge("the body is over \(intake.maxBodyBytes) bytes; send at most \(intake.maxBatch) events per request")
        }
        let bytes = Array(body.readableBytesView)
        let (submissions, isBatch) = try Self.submissions(request, bytes, caller: caller, maxBatch: intake.maxBatch)
        let results: [IngestResult]
        do {
            results = try await intake.pipeline.ingest(submissions)
        } catch {
            context.logger.error("intake unavailable", metadata: ["error": "\(error)"])
            throw APIError.unavailable("the event store is unavailable; send the same events again later")
        }
        return Self.ok(bytes: Self.encoded(results, asArray: isBatch || results.isEmpty))
    }

    static func submissions(_ request: Request, _ bytes: [UInt8], caller: VerifiedCaller, maxBatch: Int) throws(APIError) -> ([Submission], Bool) {
        let ceHeaders = request.headers.filter { $0.name.canonicalName.hasPrefix("ce-") || $0.name == .contentType }
        if ceHeaders.contains(where: { $0.name.canonicalName == "ce-specversion" }) {
            let headers = ceHeaders.map { ($0.name.canonicalName, Array($0.value.utf8)) }
            return ([Submission(headers: headers, data: bytes, publisher: caller.organization)], false)
        }
        let value: JSONNode
        do {
            value = try JSONDocument.parse(bytes).root
        } catch {
            throw APIError.notJSON("the body is not JSON (\(error.description)); send one CloudEvent or an array of them")
        }
        guard let items = value.arrayItems else { return ([Submission(json: value, publisher: caller.organization)], false) }
        guard items.count <= maxBatch else {
            throw APIError.tooLarge("a batch holds at most \(maxBatch) events; this one holds \(items.count), split it")
        }
        return (items.map { Submission(json: $0, publisher: caller.organization) }, true)
    }

    /// The answer to a POST: one result object, or an array of them in the order sent. Each
    /// object is `{"field"?, "id"?, "reason"?, "status"}` with absent members left out, the keys
    /// sorted as ``JSONValue/encoded()`` sorts them. Written straight into the body: a
    /// dictionary per result cost more than the rest of the answer.
    static func encoded(_ results: [IngestResult], asArray: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + results.count * 64)
        func member(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: #"":"#.utf8)
            JSONValue.writeString(value, into: &out)
            out.append(UInt8(ascii: ","))
        }
        if asArray { out.append(UInt8(ascii: "[")) }
        for (n, result) in results.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            member("field", result.field)
            member("id", result.id)
            member("reason", result.reason)
            out.append(contentsOf: #""status":""#.utf8)
            out.append(contentsOf: result.status.rawValue.utf8)
            out.append(contentsOf: #""}"#.utf8)
        }
        if asArray { out.append(UInt8(ascii: "]")) }
        return out
    }

    static func ok(_ json: JSONValue) -> Response {
        ok(bytes: json.encoded())
    }

    static func ok(bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
