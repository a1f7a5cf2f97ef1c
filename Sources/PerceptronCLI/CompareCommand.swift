import ArgumentParser
import Foundation
import Perceptron
import PerceptronReport
import PerceptronRun

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare training runs: their curves overlaid, the options that differ, their results and diagnoses.",
        discussion: "Writes one offline page, DIR/index.html, and prints the same tables (or JSON with --json).")

    @Argument(help: "The runs' folders (the --out of `perceptron train`).")
    var runs: [String]

    @Option(help: ArgumentHelp("The folder for the page.", valueName: "dir"))
    var out = "runs/comparison"

    @Flag(help: "Print JSON instead of tables (the page is written all the same).")
    var json = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run folder") }
    }

    func run() throws {
        let comparison = try RunComparison(folders: runs.map { URL(fileURLWithPath: $0) })
        let page = try Comparison.write(comparison, to: URL(fileURLWithPath: out))
        if json {
            print(try Comparison.json(comparison))
        } else {
            print(Comparison.tables(comparison))
            print("wrote \(page.path)")
        }
    }
}

/// What `compare` and `sweep` write and print of a comparison.
enum Comparison {
    /// Writes `folder/index.html`; returns its URL.
    static func write(_ comparison: RunComparison, to folder: URL) throws -> URL {
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw RunError("cannot create \(folder.path): \(error.localizedDescription); choose another --out")
        }
        let page = folder.appendingPathComponent("index.html")
        try AtomicFile.write(Array(ComparisonPage.html(comparison).utf8), to: page)
        return page
    }

    /// The options that differ, then each run's results, as aligned text.
    static func tables(_ comparison: RunComparison) -> String {
        let names = comparison.runs.map(\.name)
        let width = max(names.map(\.count).max() ?? 0, 12)
        var lines: [String] = []
        let options = comparison.differingOptions
        if options.isEmpty {
            lines.append("the runs have the same options")
        } else {
            lines.append("option".padding(16) + names.map { $0.padding(width + 2) }.joined())
            for option in options { lines.append(option.name.padding(16) + option.values.map { $0.padding(width + 2) }.joined()) }
        }
        lines.append("")
        lines.append("run".padding(width + 2) + "best_epoch  val_loss  test_acc  train_s  outcome")
        for run in comparison.runs {
            let m = run.metrics
            lines.append(run.name.padding(width + 2) + String(m.bestEpoch).padding(12) + fixed(m.bestValidationLoss).padding(10)
                         + (m.testAccuracy.map(percent) ?? "–").padding(10) + (m.trainSeconds.map { fixed($0, 1) } ?? "–").padding(9)
                         + m.outcome + (m.diagnoses.isEmpty ? "" : "; doctor: " + m.diagnoses.map(\.code).joined(separator: ", ")))
        }
        for group in comparison.seedGroups where group.count > 1 {
            if let spread = comparison.testAccuracySpread(group) {
                lines.append("over seeds, \(group.map { names[$0] }.joined(separator: ", ")): test_acc mean \(percent(spread.mean)), "
                             + "range \(percent(spread.lowest))–\(percent(spread.highest))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The comparison as JSON: each run's differing options and results.
    static func json(_ comparison: RunComparison) throws -> String {
        let options = comparison.differingOptions
        let runs: [[String: Any]] = comparison.runs.enumerated().map { index, run in
            let m = run.metrics
            var entry: [String: Any] = [
                "name": run.name, "best_epoch": m.bestEpoch, "outcome": m.outcome,
                "options": Dictionary(uniqueKeysWithValues: options.map { ($0.name, $0.values[index]) }),
                "diagnoses": m.diagnoses.map(\.code),
            ]
            if m.bestValidationLoss.isFinite { entry["best_val_loss"] = m.bestValidationLoss }
            if let accuracy = m.testAccuracy { entry["test_accuracy"] = accuracy }
            if let seconds = m.trainSeconds { entry["train_seconds"] = seconds }
            return entry
        }
        let object: [String: Any] = ["differing_options": options.map(\.name), "runs": runs]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }
}
