import Foundation
import Perceptron
import PerceptronRun

/// Several runs side by side: the options that differ between them, and each run's results.
///
/// An option is listed when its value (as ``ConfigurationTable`` writes it) is not the same in every
/// run; the run's folder (`out`) and data folder are its name, not an option. Runs that differ only
/// in their seed form a group, whose test accuracy is given as the mean and spread (smallest to
/// largest) over its seeds.
public struct RunComparison: Sendable {
    /// One run: its name (the folder's last component) and its metrics.
    public struct Run: Sendable {
        public var name: String
        public var metrics: RunMetrics
        /// A run called `name` with `metrics`.
        public init(name: String, metrics: RunMetrics) {
            self.name = name
            self.metrics = metrics
        }
    }

    /// The runs, in the order given.
    public var runs: [Run]

    /// The comparison of `runs`.
    public init(runs: [Run]) { self.runs = runs }

    /// Reads each folder's `metrics.json`; a folder without one is an error naming it.
    public init(folders: [URL]) throws {
        runs = try folders.map { folder in
            let url = folder.appendingPathComponent("metrics.json")
            do { return Run(name: folder.lastPathComponent, metrics: try RunMetrics.read(from: url)) } catch {
                throw RunError("\(url.path) cannot be read as a run's metrics (\(error.localizedDescription)); is \(folder.path) a folder written by `perceptron train`?")
            }
        }
    }

    /// Options that name a run rather than set it.
    static let naming: Set<String> = ["out", "data"]

    /// The options whose values differ between the runs, each with its value in every run.
    public var differingOptions: [(name: String, values: [String])] {
        let tables = runs.map { Dictionary(ConfigurationTable.rows($0.metrics.config).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }) }
        let names = ConfigurationTable.rows(runs.first?.metrics.config ?? RunConfiguration()).map(\.name)
        return names.filter { !Self.naming.contains($0) }.compactMap { name in
            let values = tables.map { $0[name] ?? "default" }
            return Set(values).count > 1 ? (name, values) : nil
        }
    }

    /// The runs grouped by every differing option but the seed: indices into ``runs``, in order of
    /// first appearance.
    public var seedGroups: [[Int]] {
        let differing = differingOptions
        guard differing.contains(where: { $0.name == "seed" }) else { return runs.indices.map { [$0] } }
        let options = differing.filter { $0.name != "seed" }
        var groups: [[Int]] = []
        var keys: [[String]] = []
        for index in runs.indices {
            let key = options.map { $0.values[index] }
            if let existing = keys.firstIndex(of: key) { groups[existing].append(index) } else {
                keys.append(key)
                groups.append([index])
            }
        }
        return groups
    }

    /// Mean, smallest and largest test accuracy of the runs at `indices` that have one.
    public func testAccuracySpread(_ indices: [Int]) -> (mean: Double, lowest: Double, highest: Double)? {
        let values = indices.compactMap { runs[$0].metrics.testAccuracy }
        guard let lowest = values.min(), let highest = values.max() else { return nil }
        return (values.reduce(0, +) / Double(values.count), lowest, highest)
    }
}
