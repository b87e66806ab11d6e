import Foundation
import Hummingbird
import Logging

/// Every error answer of the HTTP API, as a value that knows its status and writes
/// `{"error": "<code>", "message": "<one sentence>", "field"?}`. The one place errors meet HTTP.
public struct APIError: Error, Sendable, HTTPResponseError {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        (self.status, self.code, self.message, self.field) = (status, code, message, field)
    }

    public static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, code: "unauthorized", message: message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message: message) }
    public static func notJSON(_ message: String) -> APIError { APIError(.badRequest, code: "not-json", message: message) }
    public static func tooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, code: "too-large", message: message) }
    public static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, code: "unavailable", message: message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not-found", message: message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = #"{"error":"# + Self.quoted(code) + #","message":"# + Self.quoted(message)
        if let field { body += #","field":"# + Self.quoted(field) }
        body += "}"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="onewindow""# }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Gives every error leaving a route the API's shape: an ``APIError`` as is, another HTTP
/// error (404 of an unknown route, 413 of a body over the limit, …) with its status and a
/// generic message, anything else as a 500 that says nothing of its cause.
struct ErrorShapeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, code: Self.code(error.status), message: Self.message(error.status))
        } catch {
            context.logger.error("unhandled error", metadata: ["type": "\(type(of: error))"])
            throw APIError(.internalServerError, code: "internal", message: "something went wrong on our side; try again later")
        }
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
    }

    static func message(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "there is nothing at this address"
        case .contentTooLarge: "the body is larger than this endpoint accepts"
        case .methodNotAllowed: "this address does not accept that method"
        default: status.reasonPhrase
        }
    }
}
