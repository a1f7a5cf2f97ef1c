import Foundation
import Perceptron

/// `last.safetensors`: the network as trained so far, the optimiser's state, the dropout generator
/// and the run's metrics up to that epoch, written after every epoch, so that
/// `perceptron train --resume DIR` can go on from the last finished epoch.
///
/// With the run's `config.json` and `model.safetensors` (the selected network), it is everything a
/// run needs to continue exactly as if it had never stopped. Each epoch writes it first, then
/// `model.safetensors` (when the epoch is the best yet), then `metrics.json`, each atomically: a
/// run killed between two of these writes still resumes, since the checkpoint holds the history
/// itself, and when its last epoch is the best one, its network is the best network.
public struct Checkpoint {
    /// `last.safetensors`
    public static let fileName = "last.safetensors"

    /// The run's settings, with the resuming command's changes.
    public var configuration: RunConfiguration
    /// The run's metrics up to the checkpoint's epoch.
    public var metrics: RunMetrics
    /// The network of the best epoch so far.
    public var best: Network<Float>
    /// The network at the end of the checkpoint's epoch.
    public var network: Network<Float>
    /// The optimiser's state (``Optimizer/state``).
    public var optimizerState: [String: Matrix<Float>]
    /// The dropout generator's state, where the checkpoint holds one.
    public var dropoutState: UInt64?

    /// Writes the checkpoint of the last epoch of `metrics` into `folder`, atomically.
    public static func write(network: Network<Float>, optimizerState: [String: Matrix<Float>], metrics: RunMetrics, dropoutState: UInt64,
                      to folder: URL) throws {
        let epoch = metrics.history.last?.epoch ?? 0
        let metricsJSON = String(decoding: try metrics.json(), as: UTF8.self)
        try ModelFile.write(network, metadata: ["checkpoint": "last", "epoch": String(epoch), "dropout_rng": String(dropoutState),
                                                "metrics": metricsJSON],
                            extras: optimizerState, to: folder.appendingPathComponent(fileName))
    }

    /// Options that may differ when a run resumes; every other flag must repeat the run's setting.
    public static let changeable: Set<String> = ["epochs", "threads", "out", "doctor", "patience"]

    /// Reads the run in `folder`, with the flags of the resuming command applied (those allowed to change).
    public static func load(folder: URL, overrides: [String: Any]) throws -> Checkpoint {
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
        guard FileManager.default.fileExists(atPath: file(fileName).path) else {
            throw RunError("--resume \(folder.path): there is no \(fileName) there; only a run of this version of perceptron, stopped after its first epoch, can be resumed")
        }
        let saved: RunConfiguration
        do { saved = try RunConfiguration.resolve(file: Data(contentsOf: file("config.json")), source: file("config.json").path, overrides: [:]) } catch {
            throw RunError("--resume \(folder.path): cannot read config.json (\(error))")
        }
        var configuration = try RunConfiguration.resolve(file: Data(contentsOf: file("config.json")), source: "--resume", overrides: overrides)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let before = try JSONSerialization.jsonObject(with: encoder.encode(saved)) as? [String: Any] ?? [:]
        let after = try JSONSerialization.jsonObject(with: encoder.encode(configuration)) as? [String: Any] ?? [:]
        for key in Set(before.keys).union(after.keys).sorted() where !changeable.contains(key) {
            if "\(before[key] ?? "none")" != "\(after[key] ?? "none")" {
                throw RunError("--resume \(folder.path): the run has \(key) \(before[key] ?? "none"), not \(after[key] ?? "none"); "
                               + "a resumed run keeps its settings (only \(changeable.sorted().joined(separator: ", ")) may change)")
            }
        }
        configuration.out = folder.path
        let (network, metadata) = try ModelFile.read(Float.self, from: file(fileName))
        let state = try ModelFile.extras(Float.self, from: file(fileName))
        let metrics: RunMetrics
        do { metrics = try RunMetrics.decode(Data((metadata["metrics"] ?? "").utf8)) } catch {
            throw RunError("--resume \(folder.path): \(fileName) has no readable history (\(error.localizedDescription)); "
                           + "it was not written by this version of perceptron")
        }
        guard let last = metrics.history.last, metadata["epoch"] == String(last.epoch),
              metrics.history.indices.contains(metrics.bestEpoch) else {
            throw RunError("--resume \(folder.path): \(fileName) (epoch \(metadata["epoch"] ?? "?")) does not match its own history "
                           + "(\(metrics.history.count) epochs recorded)")
        }
        // The best network is the checkpoint's own when its epoch is the best; else model.safetensors.
        var best = network
        if metrics.bestEpoch != last.epoch {
            let (saved, savedMetadata) = try ModelFile.read(Float.self, from: file("model.safetensors"))
            guard savedMetadata["best_epoch"] == String(metrics.bestEpoch) else {
                throw RunError("--resume \(folder.path): model.safetensors holds epoch \(savedMetadata["best_epoch"] ?? "?"), "
                               + "the history selects epoch \(metrics.bestEpoch); the run's files are from different moments")
            }
            best = saved
        }
        removeStaleTemporaryFiles(in: folder)
        guard network.sizes == best.sizes, network.sizes.dropFirst().dropLast().elementsEqual(configuration.hidden) else {
            throw RunError("--resume \(folder.path): the saved networks (\(network.architecture)) do not match config.json's hidden layers \(configuration.hidden)")
        }
        return Checkpoint(configuration: configuration, metrics: metrics, best: best, network: network, optimizerState: state,
                          dropoutState: metadata["dropout_rng"].flatMap { UInt64($0) })
    }

    /// Deletes the `.NAME.PID.tmp` files that a killed run left half-written (see ``AtomicFile``).
    private static func removeStaleTemporaryFiles(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
