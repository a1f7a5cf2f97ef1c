// swift-tools-version: 6.0
//
// Fuzz targets for Perceptron's file parsers and the server's request-body reader (libFuzzer). A
// separate package so that the main one stays free of fuzzing flags; it depends only on the
// `Perceptron`, `PerceptronData` and `PerceptronRun` libraries, so nothing of Hummingbird or ArgumentParser is
// built (FuzzPredictBody links the body reader's three source files from Sources/PerceptronServer).
//
// Build (from the repository root; `make fuzz` does this and runs every target):
//
//     swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
//         -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// `-parse-as-library` keeps Swift from emitting an entry point; libFuzzer's driver is started by
// FuzzMain.c and calls each target's `LLVMFuzzerTestOneInput`. See Fuzz/README.md.
import PackageDescription

let parsers = ["FuzzIDX", "FuzzCSV", "FuzzPNG", "FuzzPGM", "FuzzJPEG", "FuzzSafetensors", "FuzzConfig", "FuzzPredictBody"]

let package = Package(
    name: "PerceptronFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Perceptron", path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        // `<Target>_main` for each target, which SwiftPM's Linux link line asks for (see FuzzMain.c).
        .target(name: "FuzzMain", path: "Sources/FuzzMain"),
    ] + parsers.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "FuzzSupport",
                "FuzzMain",
                .product(name: "Perceptron", package: "Perceptron"),
                .product(name: "PerceptronData", package: "Perceptron"),
                .product(name: "PerceptronRun", package: "Perceptron"),
            ],
            path: "Sources/\(name)"
        )
    }
)
