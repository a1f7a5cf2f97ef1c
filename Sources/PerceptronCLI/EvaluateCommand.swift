import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a saved model: loss, accuracy, confusion matrix, per-class precision, recall and F1.",
        discussion: """
            The validation and test splits are the ones the model's training run used: the seed, the \
            dataset (and for data of your own, the data and the holdout shares) come from the model file's metadata.
            """)

    enum Split: String, ExpressibleByArgument, CaseIterable {
        case test, val, test10k, train
    }

    @Option(help: "The model file (model.safetensors of a training run).")
    var model: String

    @Option(help: "The data folder or file (default: the dataset's usual folder; for data of your own, the data the model was trained on).")
    var data: String?

    @Option(help: "test (the 5,000 test images), val (the 5,000 validation images), test10k (all 10,000) or train; for data without test files, the held-out test and validation shares, or the rest (train).")
    var split: Split = .test

    @Flag(help: "Print JSON, with every image's prediction.")
    var json = false

    @Option(help: "Threads for the matrix products (default: every core).")
    var threads: Int?

    func run() throws {
        OneDNN.threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let saved = try SavedModel(path: model)
        let folder = try DataPreparation.location(of: saved.settings, override: data)
        let splits = try DataPreparation.load(saved.dataset, from: folder, log: { _ in })
        let (images, indices) = try select(split, from: splits, protocolSplit: DataPreparation.split(splits, for: saved.settings))
        try saved.checkFits(images)

        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(saved.network, on: images)
        let classes = saved.classes
        let confusion = ConfusionMatrix(classes: classes.count, labels: evaluation.labels, predictions: evaluation.predictions)
        let perClass = ClassMetrics.all(confusion)
        let confused = confusion.mostConfused(5)
        defer { saved.noteMissingChecksums() }  // once the results are out: evaluation has succeeded

        if json {
            let result: [String: Any] = [
                "model": saved.url.path, "split": split.rawValue, "count": evaluation.count,
                "loss": evaluation.loss, "accuracy": evaluation.accuracy, "confusion": confusion.counts,
                "per_class": perClass.map { ["label": $0.label, "precision": $0.precision, "recall": $0.recall, "f1": $0.f1, "support": $0.support] },
                "most_confused": confused.map { ["actual": $0.actual, "predicted": $0.predicted, "count": $0.count] },
                "indices": indices, "predictions": evaluation.predictions.map(Int.init), "labels": evaluation.labels.map(Int.init),
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("\(saved.network.architecture) on the \(split.rawValue) split of \(saved.dataset.rawValue) (\(evaluation.count) images)")
        print("loss \(fixed(evaluation.loss))   accuracy \(percent(evaluation.accuracy)) (\(confusion.correct) of \(confusion.total))")
        print("")
        print("confusion matrix (rows: true class, columns: predicted)")
        print(confusion.table)
        print("")
        print("class  precision  recall      F1  support")
        for metrics in perClass + [ClassMetrics.macroAverage(perClass)] {
            let name = metrics.label < 0 ? "mean" : classes.indices.contains(metrics.label) ? classes[metrics.label] : String(metrics.label)
            print(name.leftPadded(5) + percent(metrics.precision).leftPadded(11) + percent(metrics.recall).leftPadded(8)
                  + percent(metrics.f1).leftPadded(8) + String(metrics.support).leftPadded(9))
        }
        if !confused.isEmpty {
            print("")
            let name = { (label: Int) in classes.indices.contains(label) ? classes[label] : String(label) }
            print("most confused: " + confused.map { "\(name($0.actual)) → \(name($0.predicted)) (\($0.count))" }.joined(separator: ", "))
        }
    }

    /// The images of a split and their indices in the set they come from.
    private func select(_ split: Split, from splits: DatasetSplits, protocolSplit: ProtocolSplit) throws -> (LabeledImages, [Int]) {
        switch split {
        case .train: return (protocolSplit.train, protocolSplit.trainIndices)
        case .test10k:
            guard let test = splits.test else {
                throw RunError("--split test10k: the data has no test files; its test images were held out of the labelled ones: use --split test")
            }
            return (test, Array(0..<test.count))
        case .val: return (protocolSplit.validation, protocolSplit.validationIndices)
        case .test: return (protocolSplit.test, protocolSplit.testIndices)
        }
    }
}
