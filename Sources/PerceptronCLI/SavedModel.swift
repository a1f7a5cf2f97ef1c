import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

/// A model file as the commands use it: the network, and what its metadata says of the run that
/// made it (the dataset and the seed that split validation from test).
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
        if !ModelFile.hasChecksums(metadata) {
            FileHandle.standardError.write(Data("note: \(url.path) carries no checksums (written by release 0.2.0 or earlier): damage to it cannot be detected\n".utf8))
        }
        guard network.sizes.last == 10 else {
            throw RunError("\(url.path): the network has \(network.sizes.last ?? 0) outputs; a digit classifier needs 10")
        }
    }

    /// The run's configuration, if the file carries it.
    var configuration: RunMetrics.Configuration? {
        metadata["config"].flatMap { try? RunConfiguration.decode(Data($0.utf8), source: url.path) }
    }

    /// The dataset the network was trained on (MNIST if the file does not say).
    var dataset: Dataset { configuration?.dataset ?? .mnist }

    /// The seed of the validation/test split (1, the default, if the file does not say).
    var seed: UInt64 { configuration?.seed ?? 1 }

    /// Throws unless `images` have as many pixels as the network has inputs.
    func checkFits(_ images: LabeledImages) throws {
        guard images.pixelsPerImage == network.sizes[0] else {
            throw RunError("\(url.path) takes \(network.sizes[0]) inputs but the images have \(images.pixelsPerImage) pixels")
        }
    }

    /// The probabilities of the ten classes for one 28×28 input of bytes (0 background, 255 ink).
    func probabilities(of pixels: [UInt8]) -> [Float] {
        let input = Matrix<Float>(rows: 1, columns: pixels.count, elements: pixels.map { Float($0) / 255 })
        return network.probabilities(input).elements
    }
}
