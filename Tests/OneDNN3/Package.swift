// swift-tools-version: 6.0
//
// The library against oneDNN 3 (Tests/OneDNN3/run.sh builds this with oneDNN 3.2's headers and
// library): every product of a training step checked against Double, and one epoch that learns.
// It depends on Perceptron and PerceptronData only, so the check builds neither the command-line
// tool nor the server.
import PackageDescription

let package = Package(
    name: "onednn3-check",
    dependencies: [.package(name: "perceptron", path: "../..")],
    targets: [
        .executableTarget(name: "onednn3-check", dependencies: [
            .product(name: "Perceptron", package: "perceptron"),
            .product(name: "PerceptronData", package: "perceptron"),
        ]),
    ]
)
