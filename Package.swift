// swift-tools-version: 6.0
//
// Perceptron: multilayer perceptrons trained from scratch.
//
//   Perceptron      the network maths (matrices, layers, backpropagation, optimisers); depends only on oneDNN
//   PerceptronData  datasets: IDX and CSV readers, checksums, fetching MNIST; PNG and PGM images
//   PerceptronReport  SVG plots and the HTML report of a run
//   PerceptronServer  the draw-a-digit web page and its JSON API (Hummingbird)
//   perceptron      the command-line tool
import PackageDescription

/// Release builds specialise the generic maths across modules and target the build machine's CPU:
/// without a target CPU, Swift emits no AVX/FMA code and `addingProduct` on SIMD vectors becomes a
/// call to `fmaf` per lane.
var optimisation: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
#if arch(x86_64)
optimisation.append(.unsafeFlags(["-Xcc", "-march=native"]))
#endif

let package = Package(
    name: "Perceptron",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Perceptron", targets: ["Perceptron"]),
        .library(name: "PerceptronData", targets: ["PerceptronData"]),
        .executable(name: "perceptron", targets: ["PerceptronCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
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
        .target(name: "Perceptron", dependencies: ["CDNNL"], swiftSettings: optimisation),
        .target(name: "PerceptronData", dependencies: ["Perceptron", "CZlib"], swiftSettings: optimisation),
        .target(name: "PerceptronReport", dependencies: ["Perceptron"], swiftSettings: optimisation),
        .target(
            name: "PerceptronServer",
            dependencies: ["Perceptron", "PerceptronData", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: optimisation
        ),
        .executableTarget(
            name: "PerceptronCLI",
            dependencies: [
                "Perceptron", "PerceptronData", "PerceptronReport", "PerceptronServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimisation
        ),
        .testTarget(name: "PerceptronTests", dependencies: ["Perceptron"]),
        .testTarget(name: "PerceptronDataTests", dependencies: ["PerceptronData", "Perceptron"]),
        .testTarget(name: "PerceptronReportTests", dependencies: ["PerceptronReport", "Perceptron"]),
        .testTarget(
            name: "PerceptronServerTests",
            dependencies: ["PerceptronServer", "Perceptron", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ]
)
