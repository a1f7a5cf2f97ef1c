import Perceptron
import PerceptronData

/// The options of a training run that are not the trainer's: which data, the network's shape, the
/// seed, and where the run is written. Half of a ``RunConfiguration``; the keys below are its JSON keys.
public struct RunSettings: Codable, Sendable, Equatable {
    /// The dataset the run trains on.
    public var dataset = Dataset.mnist
    /// The data folder; `nil` for the dataset's usual one.
    public var data: String?
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
        case dataset, data, hidden, activation
        case initializer = "init"
        case seed, threads, out, doctor, augment
    }

    /// The layer sizes of the network these settings make: the dataset's inputs, the hidden
    /// layers, its classes.
    public var sizes: [Int] { [dataset.pixelsPerImage] + hidden + [dataset.classCount] }

    /// The first problem with these settings, in words, or `nil` when they make sense.
    public var problem: String? {
        if let bad = hidden.first(where: { $0 < 1 || $0 > 1 << 16 }) { return "hidden layer sizes must be 1 to 65536, not \(bad)" }
        if let threads, !(1...1024).contains(threads) { return "threads must be 1 to 1024, not \(threads)" }
        let parameters = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        if parameters > 2e8 { return "hidden layers \(hidden) make \(Int(parameters)) weights; at most 200,000,000 fit the memory training needs" }
        return nil
    }
}
