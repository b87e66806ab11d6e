// swift-tools-version:6.1
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Release builds let the optimizer see across our own modules (the JSON reader in Domain is
    // called from Intake and Relay on every event), not only what is marked @inlinable: parse +
    // validate ≈ 18 % less CPU (BENCHMARKS.md, intake, seventh session). An unsafe flag: SwiftPM
    // refuses a package with one as another's dependency by version (a local path or a revision
    // still works), so no one can depend on the Domain and Kafka products by version while it is
    // here. No one does; drop it before anyone needs to.
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "OneWindow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "onewindow", targets: ["onewindow"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "Domain", targets: ["Domain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Pure core: value types, events, validation, deciders. Foundation only.
        .target(name: "Domain", swiftSettings: settings),

        // librdkafka, found through pkg-config (ops/setup installs >= 2.3).
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        // OpenSSL's libcrypto (Debian's libssl-dev), for AES-GCM sealing with a context keyed
        // once per person: swift-crypto keys a new context for every field it seals.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Our Swift wrapper over librdkafka. Knows nothing of OneWindow.
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),

        // PostgreSQL adapter: event store, outbox, migrations, keys.
        .target(
            name: "Store",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),

        // Intake: validate → resolve person → protect personal fields → append; both doors.
        .target(
            name: "Intake",
            dependencies: [
                "Domain", "Store", "Kafka", "COpenSSL",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        // Relay: outbox → canonical topics, and replay from the store.
        .target(
            name: "Relay",
            dependencies: [
                "Domain", "Store", "Kafka",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),

        // Projector: canonical topics → department read models (Projections/), exactly once.
        .target(
            name: "Projector",
            dependencies: [
                "Domain", "Store", "Kafka", "Intake", "Relay",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings
        ),

        // HTTP: Hummingbird application, routes, errors as HTTP answers.
        .target(
            name: "API",
            dependencies: [
                "Intake", "Domain", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),

        .executableTarget(
            name: "onewindow",
            dependencies: [
                "Domain", "Kafka", "Store", "Intake", "Relay", "Projector", "API",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings,
            // jemalloc instead of glibc's malloc for the whole process (Swift runtime, NIO,
            // librdkafka): glibc spent ≈ 12 % of the intake's CPU in malloc/free, much of it
            // consolidating fragments after large frees; see BENCHMARKS.md, intake, 2026-12-03.
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),

        .testTarget(
            name: "DomainTests",
            dependencies: ["Domain", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "Kafka", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        // Helpers shared by the stack tests (not shipped).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: settings),
        .testTarget(
            name: "onewindowTests",
            dependencies: [
                "onewindow", "Domain", "Intake", "Store", "Kafka", "API", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "APITests",
            dependencies: ["API", "Domain", "Intake", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "API", "Domain", "Store", "Kafka", "Relay",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ProjectorTests",
            dependencies: [
                "Projector", "Relay", "Store", "Kafka", "Intake", "Domain", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RelayTests",
            dependencies: [
                "Relay", "Store", "Kafka", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
    ]
)
