import Perceptron
import PerceptronData

/// The options of a training run that are not the trainer's: which data, the network's shape, the
/// seed, and where the run is written. Half of a ``RunConfiguration``; the keys below are its JSON keys.
public struct RunSettings: Codable, Sendable, Equatable {
    /// The dataset the run trains on (a run of data of its own, given by ``data``, is `custom`).
    public var dataset = Dataset.mnist
    /// The data: a folder of IDX files, a CSV file in Kaggle's layout, or a folder of class
    /// folders (``PerceptronData/DataLayout``); `nil` for the dataset's usual folder.
    public var data: String?
    /// The shares of the labelled images held out for validation and for test when the data has
    /// no test set of its own (a CSV file, class folders, IDX training files alone), stratified by
    /// class (``PerceptronData/StratifiedHoldout``): `[0.1, 0.1]`.
    public var holdout = [0.1, 0.1]
    /// Hidden layer sizes; `[]` for none.
    public var hidden = [800]
    /// The hidden layers' activation.
    public var activation = Activation.relu
    /// `nil` for the activation's standard (He for ReLU, Glorot otherwise).
    public var initializer: Initializer?
    /// The run's one seed: the initial weights, the validation/test split, the order of the examples,
    /// dropout and augmentation all draw from generators made from it (``SplitMix64/stream(_:)``).
    public var seed: UInt64 = 1
    /// Threads for the matrix products; `nil` for every core.
    public var threads: Int?
    /// The run's folder; `nil` for a new folder under `runs/`.
    public var out: String?
    /// Whether the training doctor watches the run.
    public var doctor = true
    /// How each epoch distorts the training images (``PerceptronData/Augmentation/none`` leaves them as they are).
    public var augment = Augmentation.none

    /// The defaults: MNIST, one hidden layer of 800 ReLUs with their standard initialiser, seed 1.
    public init() {}

    /// The JSON keys.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, data, holdout, hidden, activation
        case initializer = "init"
        case seed, threads, out, doctor, augment
    }

    /// The layer sizes of the network these settings make for data of `inputs` pixels per image
    /// and `classes` classes: the inputs, the hidden layers, the classes.
    public func sizes(inputs: Int, classes: Int) -> [Int] { [inputs] + hidden + [classes] }

    /// The first problem with these settings, in words, or `nil` when they make sense — as far as
    /// can be told before the data is read: for `custom` data the weights are counted without the
    /// input and output layers' (see ``problem(inputs:classes:)``).
    public var problem: String? {
        dataset.classCount.map { problem(inputs: 28 * 28, classes: $0) } ?? problem(inputs: 1, classes: 1)
    }

    /// The first problem with these settings for data of `inputs` pixels per image and `classes`
    /// classes, in words, or `nil` when they make sense.
    public func problem(inputs: Int, classes: Int) -> String? {
        if let bad = hidden.first(where: { $0 < 1 || $0 > 1 << 16 }) { return "hidden layer sizes must be 1 to 65536, not \(bad)" }
        if let threads, !(1...1024).contains(threads) { return "threads must be 1 to 1024, not \(threads)" }
        if holdout.count != 2 || holdout.contains(where: { !($0 > 0 && $0 < 1) }) || holdout.reduce(0, +) >= 1 {
            return "holdout takes two shares, for validation and for test, each above 0 and together below 1 (such as 0.1,0.1), not "
                + holdout.map { String($0) }.joined(separator: ",")
        }
        let sizes = sizes(inputs: inputs, classes: classes)
        let parameters = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        if parameters > 2e8 {
            return "hidden layers \(hidden) make \(Int(parameters)) weights for \(inputs) inputs and \(classes) classes; "
                + "at most 200,000,000 fit the memory training needs"
        }
        return nil
    }
}
