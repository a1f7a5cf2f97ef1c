import Foundation
import Perceptron
import PerceptronData

/// The MNIST test set, for the page's strip of example digits (`GET /api/samples`).
public struct TestDigits: Sendable {
    public let images: LabeledImages

    public init(images: LabeledImages) {
        precondition(images.pixelsPerImage == DigitReader.inputSize, "test digits are 28×28")
        self.images = images
    }

    public var count: Int { images.count }

    /// Reads `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte` (or their `.gz`) from `directory`.
    /// Only the test set: the 10,000 digits are 7.8 MB and read in milliseconds.
    public static func load(from directory: URL) throws -> TestDigits {
        func locate(_ name: String) throws -> URL {
            for candidate in [name, name + ".gz"] {
                let url = directory.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            throw ServeError("\(directory.path) has no \(name) (nor \(name).gz)")
        }
        let images = try IDXReader.readLabeledImages(images: locate("t10k-images-idx3-ubyte"),
                                                     labels: locate("t10k-labels-idx1-ubyte"))
        guard images.rows == 28, images.columns == 28, images.count > 0 else {
            throw ServeError("\(directory.path): the test images are \(images.rows)×\(images.columns), not 28×28")
        }
        return TestDigits(images: images)
    }

    /// `count` different digits chosen at random: their index in the test set, label and pixels.
    public func sample(_ count: Int, using generator: inout some RandomNumberGenerator) -> [(index: Int, label: Int, pixels: ArraySlice<UInt8>)] {
        var chosen = Set<Int>()
        var result: [(index: Int, label: Int, pixels: ArraySlice<UInt8>)] = []
        while result.count < min(count, images.count) {
            let index = Int.random(in: 0..<images.count, using: &generator)
            guard chosen.insert(index).inserted else { continue }
            result.append((index, Int(images.labels[index]), images.pixels(of: index)))
        }
        return result
    }
}
