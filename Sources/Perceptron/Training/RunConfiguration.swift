import Foundation

/// Every option of a training run, with its default: what `perceptron train` takes as flags, what a
/// `--config FILE.json` holds (any subset of these keys), and what each run writes to `config.json`.
///
/// ```json
/// {"dataset": "mnist", "hidden": [800], "activation": "relu", "init": "he", "epochs": 12,
///  "batch_size": 128, "lr": 0.05, "momentum": 0.9, "nesterov": false, "weight_decay": 0,
///  "loss_reduction": "mean", "seed": 1, "patience": null, "doctor": true, …}
/// ```
public struct RunConfiguration: Codable, Sendable, Equatable {
    /// `mnist` or `fashion`.
    public var dataset = "mnist"
    /// The data folder; `nil` for the dataset's usual one.
    public var data: String?
    /// Hidden layer sizes; `[]` for none.
    public var hidden = [800]
    /// The hidden layers' activation.
    public var activation = Activation.relu
    /// `nil` for the activation's standard (He for ReLU, Glorot otherwise).
    public var initializer: Initializer?
    /// Passes over the training set after epoch 0 (the untrained network); 0 trains nothing.
    public var epochs = 12
    /// `B`, the examples per gradient step (`batch_size`).
    public var batchSize = 128
    /// `η`
    public var learningRate = 0.05
    /// `μ`
    public var momentum = 0.9
    /// Nesterov's look-ahead step instead of the classic one, with the `momentum` optimiser.
    public var nesterov = false
    /// `λ`
    public var weightDecay = 0.0
    /// How a batch's losses become one: `mean`, `(1/B) Σₙ Lₙ`, or `sum`, `Σₙ Lₙ` (``LossReduction``).
    public var lossReduction = LossReduction.mean
    /// The run's one seed: the initial weights, the validation/test split, the order of the examples,
    /// dropout and augmentation all draw from generators made from it (``SplitMix64/stream(_:)``).
    public var seed: UInt64 = 1
    /// Epochs without a lower validation loss before stopping; `nil` never stops early.
    public var patience: Int?
    /// Threads for the matrix products; `nil` for every core.
    public var threads: Int?
    /// The run's folder; `nil` for a new folder under `runs/`.
    public var out: String?
    /// Whether the training doctor watches the run.
    public var doctor = true
    /// `momentum` (with `nesterov`), `adam` or `adamw`.
    public var optimizer = "momentum"
    /// How the learning rate changes over the run.
    public var schedule = LearningRateSchedule.constant
    /// Epochs of linear learning-rate warm-up.
    public var warmup = 0.0
    /// Dropout rates: the input's, then each hidden layer's; empty for none.
    public var dropout: [Double] = []
    /// `c` of the max-norm constraint on each unit's incoming weights; `nil` for none.
    public var maxNorm: Double?
    /// Epochs over which the momentum rises from 0.5 to `momentum`; 0 for none.
    public var momentumWarmup = 0.0
    /// The number format of the matrix products: fp32, or bf16 where the CPU has it (the default
    /// there: ``Precision/preferred``).
    public var precision = Precision.preferred
    /// How each epoch distorts the training images, as the text PerceptronData's `Augmentation`
    /// reads (and checks): `none`, `standard`, or `rotation=…,alpha=…,…`.
    public var augment = "none"

    /// Every option at its default: MNIST, one hidden layer of 800 ReLUs, 12 epochs of batches of
    /// 128, momentum `μ = 0.9` at `η = 0.05`, seed 1.
    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, data, hidden, activation
        case initializer = "init"
        case epochs
        case batchSize = "batch_size"
        case learningRate = "lr"
        case momentum, nesterov
        case weightDecay = "weight_decay"
        case lossReduction = "loss_reduction"
        case seed, patience, threads, out, doctor, optimizer, schedule, warmup, dropout
        case maxNorm = "max_norm"
        case momentumWarmup = "momentum_warmup"
        case precision, augment
    }

    /// The training options these settings give.
    public var trainingOptions: TrainingOptions {
        var options = TrainingOptions(epochs: epochs, batchSize: batchSize, learningRate: learningRate, momentum: momentum,
                                      nesterov: nesterov, weightDecay: weightDecay, lossReduction: lossReduction, patience: patience)
        options.schedule = schedule
        options.warmup = warmup
        options.dropout = dropout
        options.maxNorm = maxNorm
        options.momentumWarmup = momentumWarmup
        options.precision = precision
        return options
    }

    /// The defaults, overridden by the keys of a configuration file, overridden by `overrides`
    /// (the flags given on the command line), each a JSON object with keys of ``CodingKeys``.
    /// `source` names the file in errors.
    public static func resolve(file: Data?, source: String = "the configuration file",
                               overrides: [String: Any]) throws -> RunConfiguration {
        let encoder = JSONEncoder()
        var merged = try JSONSerialization.jsonObject(with: encoder.encode(RunConfiguration())) as? [String: Any] ?? [:]
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        if let file {
            guard let object = (try? JSONSerialization.jsonObject(with: file)) as? [String: Any] else {
                throw ConfigurationError(source: source, problem: "is not a JSON object like {\"epochs\": 10, \"lr\": 0.1}")
            }
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw ConfigurationError(source: source, problem: "has the unknown key \"\(unknown)\"; the keys are \(known.sorted().joined(separator: ", "))")
            }
            merged.merge(object) { _, new in new }
        }
        merged.merge(overrides) { _, new in new }
        merged = merged.filter { !($0.value is NSNull) }
        do {
            return try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(_, context) where !context.codingPath.isEmpty {
            throw ConfigurationError(source: source, problem: "has a bad value for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw ConfigurationError(source: source, problem: "has a bad value for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)")
        } catch {
            // Name the key whose value does not fit: decode the defaults with each key alone. (The
            // decoder's own error has no key path for a number of the wrong kind, such as -1 for the seed.)
            let defaults = try JSONSerialization.jsonObject(with: encoder.encode(RunConfiguration())) as? [String: Any] ?? [:]
            for key in merged.keys.sorted() {
                var single = defaults
                single[key] = merged[key]
                guard let data = try? JSONSerialization.data(withJSONObject: single),
                      (try? JSONDecoder().decode(RunConfiguration.self, from: data)) == nil else { continue }
                throw ConfigurationError(source: source, problem: "has a bad value for \"\(key)\": \(merged[key].map { "\($0)" } ?? "null")")
            }
            throw ConfigurationError(source: source, problem: "cannot be read: \(error)")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RunConfiguration()
        dataset = try c.decodeIfPresent(String.self, forKey: .dataset) ?? defaults.dataset
        data = try c.decodeIfPresent(String.self, forKey: .data)
        hidden = try c.decodeIfPresent([Int].self, forKey: .hidden) ?? defaults.hidden
        activation = try c.decodeIfPresent(Activation.self, forKey: .activation) ?? defaults.activation
        initializer = try c.decodeIfPresent(Initializer.self, forKey: .initializer)
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? defaults.learningRate
        momentum = try c.decodeIfPresent(Double.self, forKey: .momentum) ?? defaults.momentum
        nesterov = try c.decodeIfPresent(Bool.self, forKey: .nesterov) ?? defaults.nesterov
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? defaults.weightDecay
        lossReduction = try c.decodeIfPresent(LossReduction.self, forKey: .lossReduction) ?? defaults.lossReduction
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        patience = try c.decodeIfPresent(Int.self, forKey: .patience)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        out = try c.decodeIfPresent(String.self, forKey: .out)
        doctor = try c.decodeIfPresent(Bool.self, forKey: .doctor) ?? defaults.doctor
        optimizer = try c.decodeIfPresent(String.self, forKey: .optimizer) ?? defaults.optimizer
        schedule = try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? defaults.schedule
        warmup = try c.decodeIfPresent(Double.self, forKey: .warmup) ?? defaults.warmup
        dropout = try c.decodeIfPresent([Double].self, forKey: .dropout) ?? defaults.dropout
        maxNorm = try c.decodeIfPresent(Double.self, forKey: .maxNorm)
        momentumWarmup = try c.decodeIfPresent(Double.self, forKey: .momentumWarmup) ?? defaults.momentumWarmup
        precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? defaults.precision
        augment = try c.decodeIfPresent(String.self, forKey: .augment) ?? defaults.augment
    }

    /// Writes the settings as pretty JSON (`config.json`), atomically; `--config` reads it back.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(self)) + [10], to: url)
    }

    /// The first problem with these settings, in words, or `nil` when they make sense.
    public var problem: String? {
        if !["mnist", "fashion"].contains(dataset) { return "dataset must be mnist or fashion, not \(dataset)" }
        if let bad = hidden.first(where: { $0 < 1 || $0 > 1 << 16 }) { return "hidden layer sizes must be 1 to 65536, not \(bad)" }
        if epochs < 0 { return "epochs must be 0 or more, not \(epochs)" }
        if batchSize < 1 { return "batch_size must be at least 1, not \(batchSize)" }
        if !(learningRate.isFinite && learningRate > 0) { return "lr must be a positive number, not \(learningRate)" }
        if !(momentum.isFinite && momentum >= 0 && momentum < 1) { return "momentum must be in [0, 1), not \(momentum)" }
        if !(weightDecay.isFinite && weightDecay >= 0) { return "weight_decay must be 0 or more, not \(weightDecay)" }
        if let patience, patience < 1 { return "patience must be at least 1, not \(patience)" }
        if let threads, !(1...1024).contains(threads) { return "threads must be 1 to 1024, not \(threads)" }
        let sizes = [784] + hidden + [10]
        let parameters = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        if parameters > 2e8 { return "hidden layers \(hidden) make \(Int(parameters)) weights; at most 200,000,000 fit the memory training needs" }
        if !["momentum", "adam", "adamw"].contains(optimizer) { return "optimizer must be momentum, adam or adamw, not \(optimizer)" }
        if !(warmup.isFinite && warmup >= 0) { return "warmup must be 0 or more epochs, not \(warmup)" }
        if let bad = dropout.first(where: { !($0 >= 0 && $0 < 1) }) { return "dropout rates must be in [0, 1), not \(bad)" }
        if dropout.count > hidden.count + 1 { return "dropout takes at most \(hidden.count + 1) rates (the input's and one per hidden layer), not \(dropout.count)" }
        if let maxNorm, !(maxNorm.isFinite && maxNorm > 0) { return "max_norm must be a positive number, not \(maxNorm)" }
        if !(momentumWarmup.isFinite && momentumWarmup >= 0) { return "momentum_warmup must be 0 or more epochs, not \(momentumWarmup)" }
        if momentumWarmup > 0 && optimizer != "momentum" { return "momentum_warmup needs the momentum optimizer, not \(optimizer)" }
        return nil
    }
}

/// A configuration file or option that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// Where the setting came from, e.g. `the configuration file` or a file's path: the start of
    /// ``description``.
    public var source: String
    /// What is wrong, worded to follow ``source``: `has the unknown key "lr_decay"; the keys are …`.
    public var problem: String
    public var description: String { "\(source) \(problem)" }
}
