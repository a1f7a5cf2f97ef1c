import Foundation

/// What a training run writes to `metrics.json`.
///
/// ```
/// {"config": {…every option…}, "history": [{"epoch": 0, "train_loss": …, "val_loss": …, "val_accuracy": …,
///  "train_seconds": …, "eval_seconds": …}, …], "best_epoch": k, "best_val_loss": …, "test_loss": …,
///  "test_accuracy": …, "test10k_accuracy": …, "backend": "…", …}
/// ```
/// Accuracies are fractions in [0, 1]. It is rewritten after every epoch (with `outcome` "running"),
/// so a run that stops early still leaves its history behind.
public struct RunMetrics: Codable, Sendable {
    /// Every option of the run, resolved (the data and output folders, the thread count and the
    /// initialiser as they were used).
    public typealias Configuration = RunConfiguration

    public var config: Configuration
    public var architecture: String
    public var parameters: Int
    public var backend: String
    public var history: [EpochRecord] = []
    public var bestEpoch = 0
    public var bestValidationLoss = Double.nan
    public var testLoss: Double?
    public var testAccuracy: Double?
    public var test10kAccuracy: Double?
    public var trainSeconds: Double?
    /// `running` while training, then `completed`, `stopped_early` or `diverged`.
    public var outcome = "running"
    /// What the training doctor found, in the order found.
    public var diagnoses: [Diagnosis] = []
    /// The doctor's per-layer statistics, one entry per epoch.
    public var statistics: [NetworkStatistics] = []

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
        case outcome, diagnoses, statistics
    }

    /// Reads `metrics.json`.
    public static func read(from url: URL) throws -> RunMetrics {
        try decode(Data(contentsOf: url))
    }

    /// The metrics from their JSON (non-finite numbers as the strings "nan", "inf").
    public static func decode(_ json: Data) throws -> RunMetrics {
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

    /// Strings for the model file's metadata: the configuration and the selected epoch. The run's
    /// own folder is left out, so two runs of the same settings write the same bytes.
    public var modelMetadata: [String: String] {
        var metadata = ["best_epoch": String(bestEpoch), "best_val_loss": String(bestValidationLoss),
                        "dataset": config.dataset, "seed": String(config.seed)]
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
