import Foundation
import Perceptron

/// `last.safetensors`: the network as trained so far and the optimiser's state, written after every
/// epoch, so that `perceptron train --resume DIR` can go on from the last finished epoch.
///
/// With the run's `config.json` and `metrics.json` (history, selected epoch) and `model.safetensors`
/// (the selected network), it is everything a run needs to continue exactly as if it had never stopped.
struct Checkpoint {
    static let fileName = "last.safetensors"

    var configuration: RunConfiguration
    var metrics: RunMetrics
    var best: Network<Float>
    var network: Network<Float>
    var optimizerState: [String: Matrix<Float>]
    var dropoutState: UInt64?

    /// Writes the checkpoint of `epoch` into `folder`, atomically.
    static func write(network: Network<Float>, optimizerState: [String: Matrix<Float>], epoch: Int, dropoutState: UInt64,
                      to folder: URL) throws {
        try ModelFile.write(network, metadata: ["checkpoint": "last", "epoch": String(epoch), "dropout_rng": String(dropoutState)],
                            extras: optimizerState, to: folder.appendingPathComponent(fileName))
    }

    /// Options that may differ when a run resumes; every other flag must repeat the run's setting.
    static let changeable: Set<String> = ["epochs", "threads", "out", "doctor", "patience"]

    /// Reads the run in `folder`, with the flags of the resuming command applied (those allowed to change).
    static func load(folder: URL, overrides: [String: Any]) throws -> Checkpoint {
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
        let metrics: RunMetrics
        do { metrics = try RunMetrics.read(from: file("metrics.json")) } catch {
            throw RunError("--resume \(folder.path): cannot read metrics.json (\(error.localizedDescription))")
        }
        let (best, _) = try ModelFile.read(Float.self, from: file("model.safetensors"))
        let (network, metadata) = try ModelFile.read(Float.self, from: file(fileName))
        let state = try ModelFile.extras(Float.self, from: file(fileName))
        guard let last = metrics.history.last, metadata["epoch"] == String(last.epoch),
              metrics.history.indices.contains(metrics.bestEpoch) else {
            throw RunError("--resume \(folder.path): \(fileName) (epoch \(metadata["epoch"] ?? "?")) does not match metrics.json "
                           + "(\(metrics.history.count) epochs recorded); the run's files are from different moments")
        }
        guard network.sizes == best.sizes, network.sizes.dropFirst().dropLast().elementsEqual(configuration.hidden) else {
            throw RunError("--resume \(folder.path): the saved networks (\(network.architecture)) do not match config.json's hidden layers \(configuration.hidden)")
        }
        return Checkpoint(configuration: configuration, metrics: metrics, best: best, network: network, optimizerState: state,
                          dropoutState: metadata["dropout_rng"].flatMap { UInt64($0) })
    }
}

/// Ctrl-C (SIGINT) and SIGTERM during training: finish the current batch, save, and stop.
enum StopRequest {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    /// Whether a stop was asked for since ``install()``.
    static var isRequested: Bool { requested != 0 }

    /// Catches SIGINT and SIGTERM from now on; a second Ctrl-C stops at once.
    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                if StopRequest.requested != 0 { _exit(128 + number) }
                StopRequest.requested = 1
            }
        }
    }
}
