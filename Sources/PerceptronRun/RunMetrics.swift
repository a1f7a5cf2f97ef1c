import Foundation
import Perceptron

/// What a training run writes to `metrics.json`.
///
/// ```
/// {"config": {…every option…}, "history": [{"epoch": 0, "train_loss": …, "val_loss": …, "val_accuracy": …,
///  "train_seconds": …, "eval_seconds": …}, …], "best_epoch": k, "best_val_loss": …, "test_loss": …,
///  "test_accuracy": …, "test10k_accuracy": …, "backend": "…",
///  "protocol": {"validation": "t10k", "validation_size": 5000, "test_size": 5000}, "classes": ["0", …], …}
/// ```
/// Accuracies are fractions in [0, 1]. It is rewritten after every epoch (with `outcome` "running"),
/// so a run that stops early still leaves its history behind.
public struct RunMetrics: Codable, Sendable {
    /// Every option of the run, resolved (the data and output folders, the thread count and the
    /// initialiser as they were used).
    public typealias Configuration = RunConfiguration

    /// The run's options, as used.
    public var config: Configuration
    /// The layer sizes, e.g. `784-800-10` (``Network/architecture``).
    public var architecture: String
    /// The number of weights and biases (``Network/parameterCount``).
    public var parameters: Int
    /// What ran the products, e.g. `oneDNN 2.6.3 matmul bf16 (avx512_core_amx, 2 threads)`
    /// (``OneDNN/backendDescription(for:)``).
    public var backend: String
    /// One record per finished epoch, from epoch 0.
    public var history: [EpochRecord] = []
    /// The epoch with the lowest validation loss: the one whose network is saved.
    public var bestEpoch = 0
    /// The validation loss of ``bestEpoch`` (`best_val_loss`); NaN before any epoch.
    public var bestValidationLoss = Double.nan
    /// The best network's mean cross-entropy on the test images; `nil` until training has ended.
    public var testLoss: Double?
    /// The best network's accuracy on the test images, in [0, 1]; `nil` until training has ended.
    public var testAccuracy: Double?
    /// The best network's accuracy on all 10,000 test images, the validation half included, to
    /// compare with published numbers; `nil` until training has ended, and for data without a
    /// test set of its own (whose validation and test images were held out).
    public var test10kAccuracy: Double?
    /// Where the validation and test images came from, and how many there were; `nil` in the
    /// metrics of runs before release 0.3 (which all split MNIST's test images in halves).
    public var splitProtocol: SplitProtocol?
    /// The classes' names, label `k` naming `classes[k]`; `nil` in the metrics of runs before
    /// release 0.3 (digits, `0`…`9`).
    public var classes: [String]?
    /// The seconds of training steps, summed over the epochs (evaluation left out); `nil` until
    /// training has ended.
    public var trainSeconds: Double?
    /// `running` while training, then `completed`, `stopped_early` or `diverged`.
    public var outcome = "running"
    /// What the training doctor found, in the order found.
    public var diagnoses: [Diagnosis] = []
    /// The doctor's per-layer statistics, one entry per epoch.
    public var statistics: [NetworkStatistics] = []

    /// The metrics of a run that is starting: its settings and network, no history yet, `outcome`
    /// `running`.
    public init(config: Configuration, architecture: String, parameters: Int, backend: String) {
        self.config = config
        self.architecture = architecture
        self.parameters = parameters
        self.backend = backend
    }

    enum CodingKeys: String, CodingKey {
        case config, architecture, parameters, backend, history
        case bestEpoch = "best_epoch"
        case bestValidationLoss = "best_val_loss"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
        case test10kAccuracy = "test10k_accuracy"
        case trainSeconds = "train_seconds"
        case splitProtocol = "protocol"
        case outcome, diagnoses, statistics, classes
    }

    /// Takes the trainer's account of the run at the end of an epoch: its history and its best epoch.
    public mutating func update<O: Optimizer>(from end: Trainer<O>.EpochEnd) {
        history = end.history
        bestEpoch = end.bestEpoch
        bestValidationLoss = end.history[end.bestEpoch].valLoss
    }

    /// Reads `metrics.json`.
    public static func read(from url: URL) throws -> RunMetrics {
        try decode(Data(contentsOf: url))
    }

    /// The metrics from their JSON (non-finite numbers as the strings "nan", "inf"); a `config`
    /// written by an earlier release, without the keys added since, gets their defaults.
    public static func decode(_ json: Data) throws -> RunMetrics {
        var json = json
        if var object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any],
           let config = object["config"] as? [String: Any] {
            let settings = try RunConfiguration.decode(laidOverDefaults: config, source: "metrics.json's config")
            object["config"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))
            json = try JSONSerialization.data(withJSONObject: object)
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(RunMetrics.self, from: json)
    }

    /// The metrics as pretty JSON, keys sorted (non-finite numbers as the strings "nan", "inf").
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Strings for the model file's metadata: the configuration, the selected epoch and the
    /// classes' names (`classes` = `cat,dog`). The run's own folder is left out, so two runs of the
    /// same settings write the same bytes.
    public var modelMetadata: [String: String] {
        var metadata = ["best_epoch": String(bestEpoch), "best_val_loss": String(bestValidationLoss),
                        "dataset": config.dataset.rawValue, "seed": String(config.seed)]
        if let classes { metadata["classes"] = classes.joined(separator: ",") }
        if let testAccuracy { metadata["test_accuracy"] = String(testAccuracy) }
        var settings = config
        settings.out = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(settings), let json = String(data: data, encoding: .utf8) { metadata["config"] = json }
        return metadata
    }

    /// Writes the metrics as pretty JSON, atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(Array(try json()) + [10], to: url)
    }
}
