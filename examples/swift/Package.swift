// swift-tools-version: 6.0
//
// A program that uses Perceptron as a library (a path dependency on this repository):
//
//   swift run -c release experiments [DATA_DIR] [OUT_DIR]
//
// It trains a small network twice — with the library's momentum and with an optimiser written here —
// reads the training doctor's diagnoses as data, and draws both runs' histories as an SVG plot.
// `make test` builds and runs it.
import PackageDescription

let package = Package(
    name: "experiments",
    dependencies: [.package(name: "perceptron", path: "../..")],
    targets: [
        .executableTarget(name: "experiments", dependencies: [
            .product(name: "Perceptron", package: "perceptron"),
            .product(name: "PerceptronData", package: "perceptron"),
        ]),
    ]
)
