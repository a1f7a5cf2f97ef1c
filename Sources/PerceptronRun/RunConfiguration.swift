import Foundation
import Perceptron
import PerceptronData

/// Every option of a training run, with its default: what `perceptron train` takes as flags, what a
/// `--config FILE.json` holds (any subset of these keys), and what each run writes to `config.json`.
///
/// One flat JSON object of two parts: the run's own settings (``RunSettings``: the data, the
/// network's shape, the seed, where the run is written) and the training options
/// (``Perceptron/TrainingOptions``, which the trainer takes as they are). Each part's keys and
/// defaults are stated once, in its own type; both parts read as properties of this one
/// (`configuration.seed`, `configuration.learningRate`).
/// ```json
/// {"dataset": "mnist", "hidden": [800], "activation": "relu", "init": "he", "epochs": 12,
///  "batch_size": 128, "lr": 0.05, "momentum": 0.9, "nesterov": false, "weight_decay": 0,
///  "loss_reduction": "mean", "seed": 1, "patience": null, "doctor": true, …}
/// ```
@dynamicMemberLookup
public struct RunConfiguration: Codable, Sendable, Equatable {
    /// The data, the network's shape, the seed and the run's folder.
    public var run = RunSettings()
    /// Epochs, batches, the optimiser and its schedule, regularisation, precision.
    public var training = TrainingOptions()

    /// Every option at its default: MNIST, one hidden layer of 800 ReLUs, 12 epochs of batches of
    /// 128, momentum `μ = 0.9` at `η = 0.05`, seed 1.
    public init() {}

    public subscript<Value>(dynamicMember option: WritableKeyPath<RunSettings, Value>) -> Value {
        get { run[keyPath: option] }
        set { run[keyPath: option] = newValue }
    }

    public subscript<Value>(dynamicMember option: WritableKeyPath<TrainingOptions, Value>) -> Value {
        get { training[keyPath: option] }
        set { training[keyPath: option] = newValue }
    }

    /// Both parts from the one object.
    public init(from decoder: any Decoder) throws {
        run = try RunSettings(from: decoder)
        training = try TrainingOptions(from: decoder)
    }

    /// Both parts into the one object.
    public func encode(to encoder: any Encoder) throws {
        try run.encode(to: encoder)
        try training.encode(to: encoder)
    }

    /// Every key a configuration may hold.
    public static let keys = Set(RunSettings.CodingKeys.allCases.map(\.stringValue) + TrainingOptions.CodingKeys.allCases.map(\.stringValue))

    /// The first problem with these settings, in words, or `nil` when they make sense.
    public var problem: String? {
        if let problem = run.problem ?? training.problem { return problem }
        if training.dropout.count > run.hidden.count + 1 {
            return "dropout takes at most \(run.hidden.count + 1) rates (the input's and one per hidden layer), not \(training.dropout.count)"
        }
        return nil
    }

    /// Writes the settings as pretty JSON (`config.json`), atomically; `--config` reads it back.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(self)) + [10], to: url)
    }
}

extension RunConfiguration {
    /// The defaults, overridden by the keys of a configuration file, overridden by `overrides`
    /// (the flags given on the command line), each a JSON object with keys of ``keys``.
    /// `source` names the file in errors. Settings written by any earlier release load: a key
    /// they lack keeps its default.
    public static func resolve(file: Data?, source: String = "the configuration file",
                               overrides: [String: Any]) throws -> RunConfiguration {
        var given: [String: Any] = [:]
        if let file {
            guard let object = (try? JSONSerialization.jsonObject(with: file)) as? [String: Any] else {
                throw ConfigurationError(source: source, problem: "is not a JSON object like {\"epochs\": 10, \"lr\": 0.1}")
            }
            if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
                throw ConfigurationError(source: source, problem: "has the unknown key \"\(unknown)\"; the keys are \(keys.sorted().joined(separator: ", "))")
            }
            given = object
        }
        given.merge(overrides) { _, new in new }
        return try decode(laidOverDefaults: given, source: source)
    }

    /// The settings a JSON object gives, its missing keys at their defaults (the `config` that a
    /// model file's metadata or metrics.json holds).
    public static func decode(_ json: Data, source: String) throws -> RunConfiguration {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
            throw ConfigurationError(source: source, problem: "is not a JSON object of settings")
        }
        return try decode(laidOverDefaults: object, source: source)
    }

    /// The encoded defaults with `given`'s keys laid over them, decoded; a bad value is named by its key.
    static func decode(laidOverDefaults given: [String: Any], source: String) throws -> RunConfiguration {
        let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(RunConfiguration())) as? [String: Any] ?? [:]
        func decoded(_ object: [String: Any]) throws -> RunConfiguration {
            try JSONDecoder().decode(RunConfiguration.self, from: JSONSerialization.data(withJSONObject: object.filter { !($0.value is NSNull) }))
        }
        let merged = defaults.merging(given) { _, new in new }
        do {
            return try decoded(merged)
        } catch let DecodingError.typeMismatch(_, context) where !context.codingPath.isEmpty {
            throw ConfigurationError(source: source, problem: "has a bad value for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw ConfigurationError(source: source, problem: "has a bad value for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)")
        } catch {
            // Name the key whose value does not fit: decode the defaults with each key alone. (The
            // decoder's own error has no key path for a number of the wrong kind, such as -1 for the seed.)
            for key in merged.keys.sorted() {
                guard (try? decoded(defaults.merging([key: merged[key] as Any]) { _, new in new })) == nil else { continue }
                throw ConfigurationError(source: source, problem: "has a bad value for \"\(key)\": \(merged[key].map { "\($0)" } ?? "null")")
            }
            throw ConfigurationError(source: source, problem: "cannot be read: \(error)")
        }
    }
}

/// A configuration file or option that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// Where the setting came from, e.g. `the configuration file` or a file's path: the start of
    /// ``description``.
    public var source: String
    /// What is wrong, worded to follow ``source``: `has the unknown key "lr_decay"; the keys are …`.
    public var problem: String
    /// A setting from `source` that has `problem`.
    public init(source: String, problem: String) {
        self.source = source
        self.problem = problem
    }
    public var description: String { "\(source) \(problem)" }
}
