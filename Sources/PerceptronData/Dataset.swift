import Foundation
import Perceptron

/// The kinds of labelled images the package loads.
///
/// MNIST and Fashion-MNIST are ten classes of 28×28 greyscale images, 60,000 for training and
/// 10,000 for testing, stored as four IDX files with the same names; MNIST's are checked against
/// their published SHA-256. `custom` is any other labelled image set (see ``DataLayout``): a CSV
/// file in Kaggle's layout, a folder of IDX files of any image size and number of classes, or a
/// folder of class folders.
public enum Dataset: String, CaseIterable, Codable, Sendable {
    /// Handwritten digits 0–9 (LeCun, Cortes and Burges).
    case mnist
    /// Zalando's Fashion-MNIST: photographs of clothing in ten classes, a drop-in replacement for MNIST.
    case fashion
    /// Labelled images of your own, read from `--data` as they are laid out.
    case custom

    /// The number of classes of a named dataset (ten for MNIST and Fashion-MNIST); `nil` for
    /// `custom`, whose classes come from its data.
    public var classCount: Int? {
        switch self {
        case .mnist, .fashion: 10
        case .custom: nil
        }
    }
}

/// The labelled images of a data set: the training set, the test set when the data has one
/// (MNIST's `t10k` files, for example; a CSV file or a folder of class folders has none), and the
/// names of the classes, label `k` naming `classes[k]`.
public struct DatasetSplits: Sendable {
    /// The images to learn from; with no ``test`` set, validation and test shares are held out of them
    /// (see ``ProtocolSplit``).
    public var train: LabeledImages
    /// The data's own test images, if it has any.
    public var test: LabeledImages?
    /// One name per class, in label order: `0`…`9` for digits, the folder names for class folders.
    public var classes: [String]
    /// What the data was found to be (a folder of MNIST's four files, read with no dataset named, is `.mnist`).
    public var dataset: Dataset

    /// A data set of `train` and `test` images whose classes are `classes` (by default `0`, `1`, …
    /// up to the largest label of either set).
    public init(train: LabeledImages, test: LabeledImages?, classes: [String]? = nil, dataset: Dataset = .custom) {
        self.train = train
        self.test = test
        let largest = (train.labels + (test?.labels ?? [])).max().map(Int.init) ?? 0
        self.classes = classes ?? (0...largest).map(String.init)
        self.dataset = dataset
    }
}

/// Where a dataset is looked for when no directory is given.
///
/// - `.mnist`: the directory in the environment variable `PERCEPTRON_DATA` if it is set and not
///   empty, otherwise `data/mnist` relative to the current directory (where `perceptron fetch` puts it).
/// - `.fashion`: `/usr/share/datasets/fashion-mnist`, where the Debian package
///   `dataset-fashion-mnist` installs the four `.gz` files.
/// - `.custom`: there is no usual place; `data/custom`, which the commands never look in unasked.
public func defaultDataDirectory(for dataset: Dataset) -> URL {
    switch dataset {
    case .mnist:
        if let path = ProcessInfo.processInfo.environment["PERCEPTRON_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return URL(fileURLWithPath: "data/mnist", isDirectory: true)
    case .fashion:
        return URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist", isDirectory: true)
    case .custom:
        return URL(fileURLWithPath: "data/custom", isDirectory: true)
    }
}
