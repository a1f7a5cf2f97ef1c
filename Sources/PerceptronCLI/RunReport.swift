import Foundation
import Perceptron

/// What a training run writes to `metrics.json`.
///
/// ```
/// {"config": {…every option…}, "history": [{"epoch": 0, "train_loss": …, "val_loss": …, "val_accuracy": …,
///  "train_seconds": …, "eval_seconds": …}, …], "best_epoch": k, "best_val_loss": …, "test_loss": …,
///  "test_accuracy": …, "test10k_accuracy": …, "backend": "…", …}
/// ```
/// Accuracies are fractions in [0, 1]. It is rewritten after every epoch (with `outcome` "running"),
/// so a run that stops early still leaves its history behind.
struct RunReport: Codable {
    struct Configuration: Codable {
        var dataset: String
        var data: String
        var hidden: [Int]
        var activation: String
        var initializer: String
        var epochs: Int
        var batchSize: Int
        var learningRate: Double
        var momentum: Double
        var nesterov: Bool
        var weightDecay: Double
        var lossReduction: String
        var seed: UInt64
        var patience: Int?
        var threads: Int
        var out: String

        enum CodingKeys: String, CodingKey {
            case dataset, data, hidden, activation
            case initializer = "init"
            case epochs
            case batchSize = "batch_size"
            case learningRate = "lr"
            case momentum, nesterov
            case weightDecay = "weight_decay"
            case lossReduction = "loss_reduction"
            case seed, patience, threads, out
        }
    }

    var config: Configuration
    var architecture: String
    var parameters: Int
    var backend: String
    var history: [EpochRecord] = []
    var bestEpoch = 0
    var bestValidationLoss = Double.nan
    var testLoss: Double?
    var testAccuracy: Double?
    var test10kAccuracy: Double?
    var trainSeconds: Double?
    var outcome = "running"

    enum CodingKeys: String, CodingKey {
        case config, architecture, parameters, backend, history
        case bestEpoch = "best_epoch"
        case bestValidationLoss = "best_val_loss"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
        case test10kAccuracy = "test10k_accuracy"
        case trainSeconds = "train_seconds"
        case outcome
    }

    /// Strings for the model file's metadata: the configuration and the selected epoch.
    var modelMetadata: [String: String] {
        var metadata = ["best_epoch": String(bestEpoch), "best_val_loss": String(bestValidationLoss),
                        "dataset": config.dataset, "seed": String(config.seed)]
        if let testAccuracy { metadata["test_accuracy"] = String(testAccuracy) }
        if let data = try? JSONEncoder().encode(config), let json = String(data: data, encoding: .utf8) { metadata["config"] = json }
        return metadata
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(Array(try encoder.encode(self)) + [10], to: url)
    }
}

/// The folder a run writes into.
enum RunFolder {
    /// `out`, or a new `runs/YYYYMMDD-HHMMSS` folder; created, and checked writable before any training.
    static func prepare(_ out: String?) throws -> URL {
        let url: URL
        if let out {
            url = URL(fileURLWithPath: out)
        } else {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            var candidate = URL(fileURLWithPath: "runs").appendingPathComponent(formatter.string(from: Date()))
            var suffix = 2
            while FileManager.default.fileExists(atPath: candidate.path) {
                candidate = URL(fileURLWithPath: "runs").appendingPathComponent(formatter.string(from: Date()) + "-\(suffix)")
                suffix += 1
            }
            url = candidate
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let probe = url.appendingPathComponent(".write-test")
            try AtomicFile.write([], to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw RunError("cannot write the output folder \(url.path): \(error.localizedDescription); choose another with --out")
        }
        return url
    }
}

/// A failure of a command, told in one line.
struct RunError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
