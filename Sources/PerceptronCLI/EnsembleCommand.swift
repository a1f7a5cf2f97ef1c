import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

struct EnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Join saved models into a committee that answers with the mean of their probabilities, test it, and write it as one file.",
        discussion: """
            The committee's probability of each class is the mean of its members' softmax outputs, \
            p(x) = (1/K) Σₖ softmax(fₖ(x)). The members must read the same inputs and answer the same \
            classes; their hidden layers may differ. A member may itself be a committee's file: its \
            members join. The committee is tested on the test split of its first member's run (its dataset, \
            seed and protocol); members whose runs split the data otherwise are refused — under \
            --validation-from t10k another seed validated on some of those test images, so train the \
            members with --validation-from train (any seed tests on all 10,000 test images), or with one seed. \
            The file keeps the first member's dataset, seed, classes and configuration, each member's path \
            and own test accuracy, and the committee's test accuracy; evaluate, predict and serve read it.
            """)

    @Argument(help: "The members' model files (model.safetensors of training runs, or committees' files), two at least.")
    var models: [String] = []

    @Option(help: "The committee's file to write (E.safetensors).")
    var out: String

    @Option(help: "The data folder or file (default: the dataset's usual folder; for data of your own, the data the first member was trained on).")
    var data: String?

    @Flag(help: "Print the result as one JSON object: the members, the committee's test accuracy and error.")
    var json = false

    @Option(help: "Threads for the matrix products (default: every core).")
    var threads: Int?

    func validate() throws {
        guard models.count >= 2 else { throw ValidationError("name two model files at least, the committee's members") }
    }

    /// The metadata a committee's file keeps of its first member: what says which data and split it
    /// was tested on, and how the classes are named.
    static let sharedKeys = ["dataset", "seed", "classes", "config"]
    /// The metadata it keeps of each member.
    static let memberKeys = ["source", "test_accuracy", "best_epoch", "seed", "config"]

    func run() throws {
        OneDNN.threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let outURL = URL(fileURLWithPath: out)
        if let member = models.first(where: { URL(fileURLWithPath: $0).standardizedFileURL == outURL.standardizedFileURL }) {
            throw RunError("--out \(out) is the member \(member): write the committee to a file of its own")
        }
        let saved = try SavedModel(combining: models.map(SavedModel.init(path:)))
        try saved.checkSplits()
        let folder = try DataPreparation.location(of: saved.settings, override: data)
        let splits = try DataPreparation.load(saved.dataset, from: folder, log: { _ in })
        let split = try DataPreparation.split(splits, for: saved.settings)
        try saved.checkFits(split.test)
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(saved.committee, on: split.test)
        let wrong = zip(evaluation.predictions, evaluation.labels).filter { $0 != $1 }.count

        var metadata = saved.metadata.filter { Self.sharedKeys.contains($0.key) }
        metadata["test_accuracy"] = String(evaluation.accuracy)
        metadata["test_loss"] = String(evaluation.loss)
        metadata["test_size"] = String(evaluation.count)
        let members = saved.memberMetadata.map { $0.filter { Self.memberKeys.contains($0.key) } }
        try CommitteeFile.write(saved.committee, metadata: metadata, memberMetadata: members, to: outURL)
        defer { saved.noteMissingChecksums() }

        let memberAccuracies = members.map { $0["test_accuracy"].flatMap(Double.init) }
        if json {
            let result: [String: Any] = [
                "out": outURL.path, "architecture": saved.committee.architecture, "parameters": saved.committee.parameterCount,
                "members": zip(members, memberAccuracies).map { member, accuracy in
                    ["model": member["source"] ?? "?", "test_accuracy": accuracy.map { $0 as Any } ?? NSNull()] as [String: Any]
                },
                "dataset": saved.dataset.rawValue, "validation": split.kind.rawValue, "test_size": evaluation.count,
                "test_accuracy": evaluation.accuracy, "test_error": Double(wrong) / Double(max(evaluation.count, 1)), "test_wrong": wrong, "test_loss": evaluation.loss,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("\(saved.architecture), \(saved.committee.parameterCount) parameters")
        for (member, accuracy) in zip(members, memberAccuracies) {
            print("  \(member["source"] ?? "?"): " + (accuracy.map { "test accuracy \(percent($0)) (its run's)" } ?? "no test accuracy recorded"))
        }
        print("committee: test accuracy \(percent(evaluation.accuracy)), test error \(percent(1 - evaluation.accuracy)) "
              + "(\(wrong) of \(evaluation.count) wrong), loss \(fixed(evaluation.loss)), on the test split of \(saved.dataset.rawValue) "
              + "(validation from \(split.kind.rawValue))")
        print("wrote \(outURL.path)")
    }
}
