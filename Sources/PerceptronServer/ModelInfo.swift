import Foundation
import Perceptron
import PerceptronRun

/// What the page shows about the model, served as `GET /api/model`: the architecture from the
/// network itself, and whatever the model file's metadata and the run's `metrics.json` (beside the
/// model) say of its training. Fields that are not known are left out or null.
public struct ModelInfo: Encodable, Sendable {
    public struct Epoch: Encodable, Sendable {
        public var epoch: Int
        public var trainLoss: Double?
        public var valLoss: Double?
        public var valAccuracy: Double?

        enum CodingKeys: String, CodingKey {
            case epoch
            case trainLoss = "train_loss"
            case valLoss = "val_loss"
            case valAccuracy = "val_accuracy"
        }
    }

    /// The model file's name (`model.safetensors`) and its folder's (the run's).
    public var model: String
    public var run: String?
    public var architecture: String
    public var sizes: [Int]
    /// One per layer, e.g. `["relu", "identity"]`.
    public var activations: [String]
    public var parameters: Int
    public var dataset: String?
    public var testAccuracy: Double?
    public var test10kAccuracy: Double?
    public var bestEpoch: Int?
    public var bestValLoss: Double?
    public var outcome: String?
    public var trainSeconds: Double?
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    public var momentum: Double?
    public var seed: UInt64?
    public var history: [Epoch]
    /// `/curves.svg` when the run's learning curves are there, else nil.
    public var curves: String?
    /// How many test digits `GET /api/samples` draws from (0: none, the page hides the strip).
    public var samples: Int

    enum CodingKeys: String, CodingKey {
        case model, run, architecture, sizes, activations, parameters, dataset
        case testAccuracy = "test_accuracy"
        case test10kAccuracy = "test10k_accuracy"
        case bestEpoch = "best_epoch"
        case bestValLoss = "best_val_loss"
        case outcome
        case trainSeconds = "train_seconds"
        case epochs
        case batchSize = "batch_size"
        case learningRate = "lr"
        case momentum, seed, history, curves, samples
    }

    /// Everything known of `network`: `metadata` from its model file, `metrics` from the run's
    /// `metrics.json` (which wins where both say something).
    public init(network: Network<Float>, metadata: [String: String] = [:], metrics: RunMetrics? = nil,
                modelURL: URL? = nil, curves: Bool = false, samples: Int = 0) {
        model = modelURL?.lastPathComponent ?? "model.safetensors"
        run = modelURL.map { $0.deletingLastPathComponent().lastPathComponent }
        architecture = network.architecture
        sizes = network.sizes
        activations = network.layers.map(\.activation.rawValue)
        parameters = network.parameterCount
        let config = metrics?.config
            ?? metadata["config"].flatMap { try? RunConfiguration.decode(Data($0.utf8), source: "the model's config") }
        dataset = config?.dataset.rawValue ?? metadata["dataset"]
        testAccuracy = Self.finite(metrics?.testAccuracy ?? metadata["test_accuracy"].flatMap(Double.init))
        test10kAccuracy = Self.finite(metrics?.test10kAccuracy)
        bestEpoch = metrics.map(\.bestEpoch) ?? metadata["best_epoch"].flatMap { Int($0) }
        bestValLoss = Self.finite(metrics?.bestValidationLoss ?? metadata["best_val_loss"].flatMap(Double.init))
        outcome = metrics?.outcome
        trainSeconds = Self.finite(metrics?.trainSeconds)
        epochs = config?.epochs
        batchSize = config?.batchSize
        learningRate = config?.learningRate
        momentum = config?.momentum
        seed = config?.seed ?? metadata["seed"].flatMap { UInt64($0) }
        history = (metrics?.history ?? []).map {
            Epoch(epoch: $0.epoch, trainLoss: Self.finite($0.trainLoss), valLoss: Self.finite($0.valLoss),
                  valAccuracy: Self.finite($0.valAccuracy))
        }
        self.curves = curves ? "/curves.svg" : nil
        self.samples = samples
    }

    /// The JSON of `GET /api/model`.
    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array(#"{"error":"the model's description could not be encoded"}"#.utf8)
    }

    /// JSON has no NaN or infinity: such values become null.
    static func finite(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }
}
