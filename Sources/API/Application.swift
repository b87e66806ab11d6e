import Hummingbird
import Logging

/// Builds the HTTP application; the executable and the tests both use this one function.
public func buildApplication(_ configuration: APIConfiguration, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    router.middlewares.add(LogRequestsMiddleware(.debug))
    router.middlewares.add(ErrorShapeMiddleware())
    HealthRoutes(checks: configuration.readiness).register(on: router)
    if let intake = configuration.intake { EventRoutes(intake: intake).register(on: router) }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "onewindow"),
        logger: logger
    )
}
