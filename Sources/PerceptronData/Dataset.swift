import Foundation
import Perceptron

/// The datasets the package knows how to load. Both are ten classes of 28×28 greyscale images,
/// 60,000 for training and 10,000 for testing, stored as four IDX files with the same names.
public enum Dataset: String, CaseIterable, Codable, Sendable {
    /// Handwritten digits 0–9 (LeCun, Cortes and Burges).
    case mnist
    /// Zalando's Fashion-MNIST: photographs of clothing in ten classes, a drop-in replacement for MNIST.
    case fashion

    /// The pixels of one image: 28 × 28.
    public var pixelsPerImage: Int { 28 * 28 }
    /// The classes: ten.
    public var classCount: Int { 10 }
}

/// A dataset's training and test sets.
public struct DatasetSplits: Sendable {
    public var train: LabeledImages
    public var test: LabeledImages

    public init(train: LabeledImages, test: LabeledImages) {
        self.train = train
        self.test = test
    }
}

/// Where a dataset is looked for when no directory is given.
///
/// - `.mnist`: the directory in the environment variable `PERCEPTRON_DATA` if it is set and not
///   empty, otherwise `data/mnist` relative to the current directory (where `perceptron fetch` puts it).
/// - `.fashion`: `/usr/share/datasets/fashion-mnist`, where the Debian package
///   `dataset-fashion-mnist` installs the four `.gz` files.
public func defaultDataDirectory(for dataset: Dataset) -> URL {
    switch dataset {
    case .mnist:
        if let path = ProcessInfo.processInfo.environment["PERCEPTRON_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return URL(fileURLWithPath: "data/mnist", isDirectory: true)
    case .fashion:
        return URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist", isDirectory: true)
    }
}
