import Foundation
import Perceptron

/// The files of a run folder as training writes them, and the metrics they hold.
///
/// After every epoch (``record(_:)``): `last.safetensors` first (it holds the history, so a kill
/// between these writes loses nothing), then `model.safetensors` when the epoch is the best yet,
/// then `metrics.json` — each atomically. At the end (``finish(outcome:best:test:test10k:)``) the
/// selected model and the final metrics.
public struct RunFiles {
    /// The run's folder.
    public let folder: URL
    /// What `metrics.json` holds so far.
    public private(set) var metrics: RunMetrics

    /// `model.safetensors`, the network of the selected epoch.
    public var modelURL: URL { folder.appendingPathComponent("model.safetensors") }
    /// `metrics.json`
    public var metricsURL: URL { folder.appendingPathComponent("metrics.json") }

    /// The files of a run starting in `folder` with `metrics` (no history yet), or going on from
    /// `checkpoint`, whose history, diagnoses and statistics it takes over.
    public init(folder: URL, metrics: RunMetrics, resuming checkpoint: Checkpoint? = nil) {
        self.folder = folder
        self.metrics = metrics
        if let saved = checkpoint?.metrics {
            self.metrics.history = saved.history
            self.metrics.bestEpoch = saved.bestEpoch
            self.metrics.bestValidationLoss = saved.bestValidationLoss
            self.metrics.diagnoses = saved.diagnoses
            self.metrics.statistics = saved.statistics
        }
    }

    /// Writes an epoch's end: its history and best epoch, and what `doctor` found so far.
    public mutating func record<O: Optimizer>(_ end: Trainer<O>.EpochEnd, doctor: TrainingDoctor?) throws where O.Scalar == Float {
        metrics.update(from: end)
        if let doctor {
            metrics.diagnoses = doctor.diagnoses
            metrics.statistics = doctor.statistics
        }
        try Checkpoint.write(network: end.network, optimizerState: end.optimizer.state, metrics: metrics,
                             dropoutState: end.dropoutGenerator.state, to: folder)
        if end.isBest { try ModelFile.write(end.best, metadata: metrics.modelMetadata, to: modelURL) }
        try metrics.write(to: metricsURL)
    }

    /// Writes the metrics of a run stopped before its end (`outcome` `interrupted`); the model and
    /// checkpoint of the last finished epoch stay as they are.
    public mutating func interrupt() throws {
        metrics.outcome = "interrupted"
        try metrics.write(to: metricsURL)
    }

    /// Writes the end of the run: its outcome, the selected network `best` and its results on the
    /// test images (`test`) and on all of the data's test set (`test10k`; `nil` when the test
    /// images were held out of the labelled ones).
    public mutating func finish(outcome: String, best: Network<Float>, test: Evaluation, test10k: Evaluation?) throws {
        metrics.outcome = outcome
        metrics.testLoss = test.loss
        metrics.testAccuracy = test.accuracy
        metrics.test10kAccuracy = test10k?.accuracy
        metrics.trainSeconds = metrics.history.reduce(0) { $0 + $1.trainSeconds }
        try ModelFile.write(best, metadata: metrics.modelMetadata, to: modelURL)
        try metrics.write(to: metricsURL)
    }
}

/// How a run ended, as metrics.json's `outcome` says it.
extension Trainer.Outcome {
    /// `completed`, `stopped_early`, `diverged` or `interrupted`.
    public var name: String {
        switch self {
        case .completed: "completed"
        case .stoppedEarly: "stopped_early"
        case .diverged: "diverged"
        case .interrupted: "interrupted"
        }
    }
}
