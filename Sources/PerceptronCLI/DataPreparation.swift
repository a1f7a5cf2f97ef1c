import Foundation
import PerceptronRun
import PerceptronData

/// Finding the data a command needs, fetching MNIST on first use, and the run's split of it.
enum DataPreparation {
    /// Loads the data at `location` as `dataset` says (`nil`: as the data says, see `loadDataset`);
    /// fetches MNIST first into a folder that is MNIST's (named `.mnist`) and lacks a file, or one
    /// that holds no data at all when no dataset is named. A data set of fewer than two classes is refused.
    static func load(_ dataset: Dataset?, from location: URL, log: @escaping @Sendable (String) -> Void) throws -> DatasetSplits {
        let layout = try DataLayout(of: location)
        let present = MNISTFile.allCases.filter { file in
            FileManager.default.fileExists(atPath: location.appendingPathComponent(file.name).path)
                || FileManager.default.fileExists(atPath: location.appendingPathComponent(file.name + ".gz").path)
        }
        if layout == .idx, dataset == .mnist ? present.count < MNISTFile.allCases.count : dataset == nil && present.isEmpty {
            log("MNIST is not in \(location.path) yet: fetching it")
            try MNISTFetcher(directory: location, log: log).fetch()
        } else if dataset == .fashion, !FileManager.default.fileExists(atPath: location.path) {
            throw RunError("no \(Dataset.fashion.rawValue) data in \(location.path): install it with `apt-get install dataset-fashion-mnist` or pass --data DIR")
        }
        let data = try loadDataset(dataset, from: location)
        guard data.classes.count >= 2 else {
            throw RunError("\(location.path): every image is labelled \(data.classes.first ?? "0"); a classifier needs images of two classes at least")
        }
        return data
    }

    /// The split of `data` that the run of `settings` uses: its seed and, for data without a test
    /// set, its holdout shares.
    static func split(_ data: DatasetSplits, for settings: RunSettings) throws -> ProtocolSplit {
        let shares = settings.holdout.count == 2 ? (settings.holdout[0], settings.holdout[1]) : (0.1, 0.1)
        return try ProtocolSplit(data, seed: settings.seed, holdout: shares)
    }

    /// Where the data of a saved run is: `override` (a command's `--data`), else, for a data set of
    /// its own, the data the run trained on, else the dataset's usual folder.
    static func location(of settings: RunSettings, override: String?) throws -> URL {
        if let override { return URL(fileURLWithPath: override) }
        guard settings.dataset == .custom else { return defaultDataDirectory(for: settings.dataset) }
        guard let data = settings.data else { throw RunError("the model does not say which data it was trained on: pass --data") }
        return URL(fileURLWithPath: data)
    }
}
