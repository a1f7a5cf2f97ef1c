import Foundation
import Perceptron
import PerceptronRun
import PerceptronReport
import Testing

@Suite("Run report")
struct RunReportTests {
    /// A real, small run: a 784-32-10 network trained for a few epochs on MNIST test images (or
    /// synthetic ones when the data is missing), with metrics filled in as `perceptron train` does.
    static func smallRun() -> (metrics: RunMetrics, network: Network<Float>, test: LabeledImages, evaluation: Evaluation) {
        let images = testImages(count: 3000)
        let training = images.subset(0..<2000), validation = images.subset(2000..<2500), test = images.subset(2500..<3000)
        var generator = SplitMix64(seed: 11)
        let network = Network<Float>(sizes: [784, 32, 10], hiddenActivation: .relu, using: &generator)
        let options = TrainingOptions(epochs: 6, batchSize: 64, learningRate: 0.05, momentum: 0.9)
        var trainer = Trainer(network: network, optimizer: Momentum<Float>(learningRate: 0.05, momentum: 0.9),
                              options: options, shuffler: SplitMix64(seed: 12))
        var metrics = plausibleMetrics(history: [], sizes: network.sizes)
        metrics.config.epochs = options.epochs
        metrics.config.out = "runs/report-test"
        let outcome = trainer.train(on: training, validation: validation) { end in
            metrics.history.append(end.record)
        }
        metrics.outcome = outcome == .completed ? "completed" : "stopped_early"
        metrics.bestEpoch = trainer.bestEpoch
        metrics.bestValidationLoss = trainer.bestValidationLoss
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(trainer.best, on: test)
        metrics.testLoss = evaluation.loss
        metrics.testAccuracy = evaluation.accuracy
        metrics.test10kAccuracy = evaluator.evaluate(trainer.best, on: images.subset(2000..<3000)).accuracy
        metrics.trainSeconds = metrics.history.reduce(0) { $0 + $1.trainSeconds }
        return (metrics, trainer.best, test, evaluation)
    }

    /// `$PERCEPTRON_REPORT_DIR/name` when the variable is set (to keep the report, e.g. for
    /// `Tests/Browser/check_report.py`), else a fresh temporary folder.
    static func folder(_ name: String) -> URL {
        if let kept = keptFolder { return kept.appendingPathComponent(name) }
        return FileManager.default.temporaryDirectory.appendingPathComponent("perceptron-report-\(UUID().uuidString)")
    }

    static var keptFolder: URL? {
        guard let path = ProcessInfo.processInfo.environment["PERCEPTRON_REPORT_DIR"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path)
    }

    @Test("write puts the five files into the folder, each a valid document, and nothing else")
    func writesFiles() throws {
        let run = Self.smallRun()
        let folder = Self.folder("trained")
        try RunReport.write(to: folder, metrics: run.metrics, network: run.network, test: run.test, evaluation: run.evaluation)
        try run.metrics.write(to: folder.appendingPathComponent("metrics.json"))

        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(RunReport.files).isSubset(of: Set(names)))
        #expect(!names.contains { $0.hasSuffix(".tmp") })

        func read(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        let curves = try checkedSVG(try read(RunReport.curvesFile))
        #expect(curves.elements(classed: "point", "val-loss").count == run.metrics.history.count)
        #expect(run.metrics.history.count == 7)
        let confusion = try checkedSVG(try read(RunReport.confusionFile))
        #expect(confusion.elements(classed: "count").compactMap { Int($0.text) }.reduce(0, +) == run.test.count)
        let errors = try checkedSVG(try read(RunReport.errorsFile))
        let wrong = zip(run.evaluation.labels, run.evaluation.predictions).filter { $0 != $1 }.count
        #expect(errors.elements(classed: "digit").count == min(wrong, 60))
        let weights = try checkedSVG(try read(RunReport.weightsFile))
        #expect(weights.elements(classed: "tile").count == 32)
        let page = try #require(parseXML(try read(RunReport.pageFile)))
        #expect(page.elements(named: "img").count == 4)

        // The report is rewritten in place when written again.
        try RunReport.write(to: folder, metrics: run.metrics, network: run.network, test: run.test, evaluation: run.evaluation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == names.count)
        if Self.keptFolder == nil { try FileManager.default.removeItem(at: folder) }
    }

    @Test("a diverged run's report is written too: NaN epochs have no points, and no file contains NaN")
    func diverged() throws {
        var history = plausibleHistory(epochs: 5)
        history[4].trainLoss = 8.1e12
        history[4].valLoss = 3.3e9
        history[5] = EpochRecord(epoch: 5, trainLoss: .nan, valLoss: .nan, valAccuracy: 0.098, trainSeconds: 3, evalSeconds: 0.2)
        var metrics = plausibleMetrics(history: history)
        metrics.outcome = "diverged"
        metrics.testAccuracy = nil
        metrics.test10kAccuracy = nil
        metrics.testLoss = nil
        var generator = SplitMix64(seed: 2)
        let network = Network<Float>(sizes: [784, 16, 10], hiddenActivation: .relu, using: &generator)
        let test = testImages(count: 100)
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(network, on: test)
        let folder = Self.folder("diverged")
        try RunReport.write(to: folder, metrics: metrics, network: network, test: test, evaluation: evaluation)
        try metrics.write(to: folder.appendingPathComponent("metrics.json"))

        let curves = try String(contentsOf: folder.appendingPathComponent(RunReport.curvesFile), encoding: .utf8)
        let root = try checkedSVG(curves)
        #expect(root.elements(classed: "point", "val-loss").count == 5)
        #expect(root.elements(classed: "point", "val-loss", "clamped").count == 1)
        for name in [RunReport.confusionFile, RunReport.errorsFile, RunReport.weightsFile] {
            _ = try checkedSVG(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
        // The page says NaN in words where the history has it.
        let page = try #require(parseXML(try String(contentsOf: folder.appendingPathComponent(RunReport.pageFile), encoding: .utf8)))
        let historyTable = try #require(page.elements(named: "table").first { $0.elements(named: "th").first?.text == "epoch" })
        let lastRow = try #require(historyTable.elements(named: "tr").last)
        #expect(Array(lastRow.children.map(\.text).prefix(3)) == ["5", "NaN", "NaN"])
        if Self.keptFolder == nil { try FileManager.default.removeItem(at: folder) }
    }
}
