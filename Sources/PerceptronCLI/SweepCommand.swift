import ArgumentParser
import Foundation
import Perceptron
import PerceptronData
import PerceptronReport
import PerceptronRun

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train every combination of the given settings, one run folder each, and compare them.",
        discussion: """
            Any option of `perceptron train` takes a comma-separated list of values here, one per grid \
            point: `perceptron sweep --lr 0.01,0.1,1 --hidden 100,800 --seeds 1,2 --epochs 3 --out DIR` \
            trains 3 × 2 × 2 runs. A value that is itself a list (two hidden layers, dropout rates) joins \
            its parts with +: --hidden 500+300,800. Each run goes in DIR/NAME, named by the settings that \
            vary (lr-0.1_hidden-800); run \
            again, a sweep skips the runs that finished and resumes the ones that stopped. DIR/index.html \
            compares them all (see `perceptron compare`).
            """)

    @Option(help: ArgumentHelp("The sweep's folder: one run folder per grid point, and index.html.", valueName: "dir"))
    var out: String

    @Option(help: "Seeds, comma-separated: every grid point is trained once per seed (default: the train default, 1).")
    var seeds: String?

    @Argument(parsing: .allUnrecognized, help: "Options of `perceptron train`, each with a comma-separated list of values.")
    var options: [String] = []

    /// The grid's axes: each option's name and values, in the order given.
    func axes() throws -> [(option: String, values: [String])] {
        var axes: [(String, [String])] = []
        var index = 0
        while index < options.count {
            let option = options[index]
            guard option.hasPrefix("--"), option.count > 2 else { throw ValidationError("'\(option)' is not an option: give --NAME VALUES") }
            let name = String(option.dropFirst(2))
            if ["out", "resume", "force", "config", "quiet"].contains(name) {
                throw ValidationError("--\(name) is the sweep's own business; leave it out")
            }
            let next = index + 1 < options.count ? options[index + 1] : nil
            if let next, !next.hasPrefix("--") {
                axes.append((name, next.split(separator: ",").map { String($0).replacingOccurrences(of: "+", with: ",") }))
                index += 2
            } else {
                axes.append((name, [""]))  // a flag such as --nesterov
                index += 1
            }
        }
        if let seeds { axes.append(("seed", seeds.split(separator: ",").map(String.init))) }
        return axes
    }

    func run() throws {
        let axes = try axes()
        let points = axes.reduce([[(option: String, value: String)]]([[]])) { grid, axis in
            grid.flatMap { point in axis.values.map { point + [(axis.option, $0)] } }
        }
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folders: [URL] = []
        var failures: [String] = []
        for (number, point) in points.enumerated() {
            // Named by the settings that vary: an option with one value is the same in every run.
            let varying = point.filter { setting in (axes.first { $0.option == setting.option }?.values.count ?? 0) > 1 }
            let name = varying.isEmpty ? "run" : varying.map { "\($0.option)-\($0.value)" }.joined(separator: "_")
                .replacingOccurrences(of: "/", with: "÷")
            let runFolder = folder.appendingPathComponent(name)
            folders.append(runFolder)
            let label = "[\(number + 1)/\(points.count)] \(name)"
            let state = Self.state(of: runFolder)
            if state == .finished { print("\(label): done before, skipped"); continue }
            var arguments = ["train", "--quiet"]
            if state == .stopped {
                arguments += ["--resume", runFolder.path]
            } else {
                arguments += ["--out", runFolder.path, "--force"] + point.flatMap { $0.value.isEmpty ? ["--\($0.option)"] : ["--\($0.option)", $0.value] }
            }
            print("\(label): \(state == .stopped ? "resuming" : "training")…")
            let outcome = try Subprocess.run(executable, arguments)
            if !outcome.succeeded {
                failures.append("\(name): \(outcome.lastErrorLine)")
                print("\(label): failed (exit \(outcome.status)): \(outcome.lastErrorLine)")
            } else if let metrics = try? RunMetrics.read(from: runFolder.appendingPathComponent("metrics.json")) {
                print("\(label): test accuracy \(metrics.testAccuracy.map(percent) ?? "–"), best epoch \(metrics.bestEpoch)")
            }
        }
        let finished = folders.filter { Self.state(of: $0) != .empty }
        guard !finished.isEmpty else { throw RunError("no run of the sweep finished: \(failures.first ?? "")") }
        let comparison = try RunComparison(folders: finished)
        let page = try Comparison.write(comparison, to: folder)
        print("")
        print(Comparison.tables(comparison))
        print("wrote \(page.path)")
        if !failures.isEmpty { throw RunError("\(failures.count) of \(points.count) runs failed: \(failures.joined(separator: "; "))") }
    }

    /// Where a grid point's run stands.
    enum State { case empty, stopped, finished }

    static func state(of folder: URL) -> State {
        guard let metrics = try? RunMetrics.read(from: folder.appendingPathComponent("metrics.json")) else { return .empty }
        if ["running", "interrupted"].contains(metrics.outcome) {
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(Checkpoint.fileName).path) ? .stopped : .empty
        }
        return .finished
    }
}
