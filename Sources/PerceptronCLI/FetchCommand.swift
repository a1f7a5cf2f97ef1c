import ArgumentParser
import Foundation
import PerceptronData

struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download MNIST into the data folder and verify every file by its SHA-256.")

    @Option(name: .long, help: "The data folder (default: $PERCEPTRON_DATA, else data/mnist).")
    var data: String?

    @Flag(name: .long, help: "Fetch again even if the files are present and verified.")
    var force = false

    func run() throws {
        let directory = data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: .mnist)
        try MNISTFetcher(directory: directory, log: { print($0) }).fetch(force: force)
        print("MNIST is ready in \(directory.path)")
    }
}
