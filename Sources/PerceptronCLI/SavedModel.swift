import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

/// A model file as the commands use it: the network, and what its metadata says of the run that
/// made it (the dataset, the seed that split validation from test, the classes' names).
struct SavedModel {
    let url: URL
    let network: Network<Float>
    let metadata: [String: String]

    init(path: String) throws {
        url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RunError("\(url.path): there is no such file; train a model first with `perceptron train`")
        }
        (network, metadata) = try ModelFile.read(Float.self, from: url)
        guard let outputs = network.sizes.last, outputs >= 2 else {
            throw RunError("\(url.path): the network has \(network.sizes.last ?? 0) output; a classifier needs one per class, two at least")
        }
        if let names = metadata["classes"], names.split(separator: ",", omittingEmptySubsequences: false).count != outputs {
            throw RunError("\(url.path): the metadata names the classes \(names), but the network has \(outputs) outputs; the file was altered")
        }
    }

    /// The classes' names, one per output: the metadata's `classes`, or `0`, `1`, … for models
    /// that do not name them (digits).
    var classes: [String] {
        metadata["classes"].map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            ?? (0..<(network.sizes.last ?? 0)).map(String.init)
    }

    /// The run's configuration, if the file carries it.
    var configuration: RunMetrics.Configuration? {
        metadata["config"].flatMap { try? RunConfiguration.decode(Data($0.utf8), source: url.path) }
    }

    /// The run's settings (the defaults, MNIST with seed 1, if the file does not say).
    var settings: RunSettings { configuration?.run ?? RunSettings() }

    /// The dataset the network was trained on (MNIST if the file does not say).
    var dataset: Dataset { settings.dataset }

    /// Throws unless `images` have as many pixels as the network has inputs.
    func checkFits(_ images: LabeledImages) throws {
        guard images.pixelsPerImage == network.sizes[0] else {
            throw RunError("\(url.path) takes \(network.sizes[0]) inputs but the images have \(images.pixelsPerImage) pixels")
        }
    }

    /// The probabilities of the classes for one input of bytes (0 background, 255 ink), as many as the network has inputs.
    func probabilities(of pixels: [UInt8]) -> [Float] {
        let input = Matrix<Float>(rows: 1, columns: pixels.count, elements: pixels.map { Float($0) / 255 })
        return network.probabilities(input).elements
    }

    /// Says, on standard error, that the file carries no checksums (release 0.2.0 and earlier), so
    /// damage to it cannot be detected; a command calls it once its work succeeded.
    func noteMissingChecksums() {
        guard !ModelFile.hasChecksums(metadata) else { return }
        FileHandle.standardError.write(Data("note: \(url.path) carries no checksums (written by release 0.2.0 or earlier): damage to it cannot be detected\n".utf8))
    }
}
