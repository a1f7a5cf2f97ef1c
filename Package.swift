// swift-tools-version: 6.0
//
// Perceptron: multilayer perceptrons trained from scratch.
//
//   CDNNLShim       one C interface over oneDNN 2.x and 3.x (the calls that differ between them)
//   CKernels        the passes oneDNN has no primitive for: a prefetch, the batch gather, the fused momentum update,
//                   a product's transpose with its bias
//   Perceptron      the network maths (matrices, layers, backpropagation, optimisers); depends only on oneDNN and zlib (CRC-32)
//   PerceptronData  datasets: IDX and CSV readers, checksums, fetching MNIST; PNG, JPEG, BMP and PGM images
//   PerceptronRun   a training run's files: its configuration, metrics.json, checkpoints, the doctor's advice as flags
//   PerceptronReport  SVG plots and the HTML report of a run
//   PerceptronServer  the draw-a-digit web page and its JSON API (Hummingbird)
//   perceptron      the command-line tool
import PackageDescription

/// No unsafe flags: a package that depends on Perceptron by version may not have any, and a flag
/// such as `-march=native` would bake the build machine's CPU into every binary. The hot loops run
/// in oneDNN, which picks its kernels for the CPU it runs on.
let optimisation: [SwiftSetting] = []

let package = Package(
    name: "Perceptron",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Perceptron", targets: ["Perceptron"]),
        .library(name: "PerceptronData", targets: ["PerceptronData"]),
        .library(name: "PerceptronRun", targets: ["PerceptronRun"]),
        .executable(name: "perceptron", targets: ["PerceptronCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // The server's own imports (Logging, NIOCore, NIOHTTP1, NIOConcurrencyHelpers, the HTTP types'
        // NIO codec; NIOEmbedded in its tests), declared rather than borrowed from Hummingbird's
        // dependencies; the same URLs Hummingbird names.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        // `make docs`: the DocC catalogs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CDNNL",
            providers: [.apt(["libdnnl-dev"]), .brew(["onednn"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CTurboJPEG",
            providers: [.apt(["libturbojpeg0-dev"]), .brew(["jpeg-turbo"])]
        ),
        .target(name: "CDNNLShim", dependencies: ["CDNNL", "CKernels"], linkerSettings: [.linkedLibrary("dnnl")]),
        .target(name: "CKernels"),
        .target(name: "Perceptron", dependencies: ["CDNNLShim", "CKernels", "CZlib"], swiftSettings: optimisation),
        .target(name: "PerceptronData", dependencies: ["Perceptron", "CZlib", "CTurboJPEG"], swiftSettings: optimisation),
        .target(name: "PerceptronRun", dependencies: ["Perceptron", "PerceptronData"], swiftSettings: optimisation),
        .target(
            name: "PerceptronReport", dependencies: ["Perceptron", "PerceptronData", "PerceptronRun"],
            // The report page's style sheet, compiled into the binary (`ReportPage.style`).
            resources: [.embedInCode("Resources/report.css")], swiftSettings: optimisation
        ),
        .target(
            name: "PerceptronServer",
            dependencies: [
                "Perceptron", "PerceptronData", "PerceptronRun", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            // The page's HTML, CSS and JavaScript, compiled into the binary as byte arrays (`Page`).
            resources: [.embedInCode("Resources/page.html"), .embedInCode("Resources/page.css"), .embedInCode("Resources/page.js")],
            swiftSettings: optimisation
        ),
        .executableTarget(
            name: "PerceptronCLI",
            dependencies: [
                "Perceptron", "PerceptronData", "PerceptronRun", "PerceptronReport", "PerceptronServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimisation
        ),
        .testTarget(name: "PerceptronTests", dependencies: ["Perceptron", "CKernels", "CDNNLShim"]),
        .testTarget(name: "PerceptronDataTests", dependencies: ["PerceptronData", "Perceptron"]),
        .testTarget(name: "PerceptronRunTests", dependencies: ["PerceptronRun", "Perceptron", "PerceptronData"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PerceptronReportTests", dependencies: ["PerceptronReport", "PerceptronData", "PerceptronRun", "Perceptron"]),
        .testTarget(
            name: "PerceptronServerTests",
            dependencies: [
                "PerceptronServer", "Perceptron", "PerceptronRun", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
    ]
)
