import Foundation
import PerceptronRun
import PerceptronData

/// Finding the data a command needs, fetching MNIST on first use.
enum DataPreparation {
    /// Loads `dataset` from `folder`; for MNIST, fetches the files first if any is missing.
    static func load(_ dataset: Dataset, from folder: URL, log: @escaping @Sendable (String) -> Void) throws -> DatasetSplits {
        if dataset == .mnist {
            let missing = MNISTFile.allCases.map(\.name).filter { name in
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
                    && !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name + ".gz").path)
            }
            if !missing.isEmpty {
                log("MNIST is not in \(folder.path) yet: fetching it")
                try MNISTFetcher(directory: folder, log: log).fetch()
            }
        } else if !FileManager.default.fileExists(atPath: folder.path) {
            throw RunError("no \(dataset.rawValue) data in \(folder.path): install it with `apt-get install dataset-fashion-mnist` or pass --data DIR")
        }
        return try loadDataset(dataset, from: folder)
    }
}
