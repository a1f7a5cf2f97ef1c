import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Examine a saved model like the training doctor: per-layer statistics and what looks wrong.",
        discussion: "Measures every layer on 500 validation images of the model's own run (its seed and dataset come from the model file).")

    @Option(help: "The model file (model.safetensors of a training run).")
    var model: String

    @Option(help: "The data folder or file (default: the dataset's usual folder; for data of your own, the data the model was trained on).")
    var data: String?

    func run() throws {
        OneDNN.threadCount = ProcessInfo.processInfo.activeProcessorCount
        let saved = try SavedModel(path: model)
        let folder = try DataPreparation.location(of: saved.settings, override: data)
        let splits = try DataPreparation.load(saved.dataset, from: folder, log: { _ in })
        let validation = try DataPreparation.split(splits, for: saved.settings).validation
        try saved.checkFits(validation)
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(saved.network, on: validation)
        let epoch = Int(saved.metadata["best_epoch"] ?? "") ?? 1
        let record = EpochRecord(epoch: max(epoch, 1), trainLoss: evaluation.loss, valLoss: evaluation.loss, valAccuracy: evaluation.accuracy,
                                 trainSeconds: 0, evalSeconds: 0)
        var doctor = TrainingDoctor(validation: validation, classes: saved.classes.count, learningRate: saved.configuration?.learningRate ?? 0)
        let diagnoses = doctor.examine(saved.network, history: [record], updateRatios: nil)

        print("\(saved.network.architecture): validation loss \(fixed(evaluation.loss)), accuracy \(percent(evaluation.accuracy))")
        print("")
        print("layer  units  activation   weight mean/std       bias mean/std         z mean/std            saturated  dead   ‖∇W‖")
        for layer in doctor.statistics.last?.layers ?? [] {
            let pair = { (a: Double, b: Double) in (scientific(a) + " " + scientific(b)).padding(22) }
            print(String(layer.layer).leftPadded(5) + String(layer.units).leftPadded(7) + "  " + layer.activation.rawValue.padding(11)
                  + pair(layer.weightMean, layer.weightStd) + pair(layer.biasMean, layer.biasStd) + pair(layer.preactivationMean, layer.preactivationStd)
                  + (layer.saturatedShare.map(percent) ?? "–").padding(11) + (layer.deadShare.map(percent) ?? "–").padding(7)
                  + scientific(layer.gradientNorm))
        }
        print("")
        if diagnoses.isEmpty {
            print("the doctor found nothing wrong")
        }
        for diagnosis in diagnoses {
            print(diagnosis.printed)
        }
    }
}
