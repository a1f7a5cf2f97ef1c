import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData
import PerceptronReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a training run's report again: curves, confusion matrix, errors and weights as SVG, and index.html.",
        discussion: "Reads the run's metrics.json and model.safetensors and evaluates the model on the run's test split.")

    @Argument(help: "The run's folder (the --out of `perceptron train`).")
    var folder: String

    @Option(help: "The data folder (default: the one the run used).")
    var data: String?

    func run() throws {
        let runFolder = URL(fileURLWithPath: folder)
        let metricsURL = runFolder.appendingPathComponent("metrics.json")
        let metrics: RunMetrics
        do { metrics = try RunMetrics.read(from: metricsURL) } catch {
            throw RunError("\(metricsURL.path): cannot be read as a run's metrics (\(error.localizedDescription)); is \(runFolder.path) the --out folder of `perceptron train`?")
        }
        let saved = try SavedModel(path: runFolder.appendingPathComponent("model.safetensors").path)
        let dataset = metrics.config.dataset
        let dataFolder = data.map { URL(fileURLWithPath: $0) } ?? metrics.config.data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: dataset)
        let splits = try DataPreparation.load(dataset, from: dataFolder, log: { _ in })
        let test = try DataPreparation.split(splits, for: metrics.config.run).test
        try Report.write(to: runFolder, metrics: metrics, network: saved.network, test: test)
        print("wrote \(runFolder.appendingPathComponent("index.html").path)")
    }
}

/// The report of a run, from its metrics, its selected network and its test split.
enum Report {
    static func write(to folder: URL, metrics: RunMetrics, network: Network<Float>, test: LabeledImages) throws {
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(network, on: test)
        try RunReport.write(to: folder, metrics: metrics, network: network, test: test, evaluation: evaluation)
    }
}
