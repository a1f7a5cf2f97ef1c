import Foundation
import Perceptron
import PerceptronData

// MNIST (fetched and verified on first use), the question's protocol: half of the test images
// choose the epoch, the other half test it.
let arguments = CommandLine.arguments.dropFirst()
let folder = URL(fileURLWithPath: arguments.first ?? "data/mnist")
let out = URL(fileURLWithPath: arguments.dropFirst().first ?? ".")
try MNISTFetcher(directory: folder, log: { print($0) }).fetch()
let mnist = try loadDataset(.mnist, from: folder)
let split = try ProtocolSplit(mnist, seed: 1)

/// Trains 784-100-10 (sigmoid) for `epochs` epochs with `optimizer`; the doctor examines every
/// epoch. Returns the history, the doctor's diagnoses and the test accuracy of the best epoch.
func run<O: Optimizer>(_ optimizer: O, learningRate: Double, epochs: Int) -> (history: [EpochRecord], diagnoses: [Diagnosis], test: Double, optimizer: O)
where O.Scalar == Float {
    var generator = SplitMix64(seed: 1)
    let network = Network<Float>(sizes: [784, 100, 10], hiddenActivation: .sigmoid, using: &generator)
    let options = TrainingOptions(epochs: epochs, batchSize: 128, learningRate: learningRate)
    var trainer = Trainer(network: network, optimizer: optimizer, options: options, shuffler: SplitMix64(seed: 2))
    var doctor = TrainingDoctor(validation: split.validation, learningRate: learningRate)
    _ = trainer.train(on: mnist.train, validation: split.validation) { end in
        _ = doctor.examine(end.network, history: end.history, updateRatios: end.updateRatios,
                           updateShrinkages: end.updateShrinkages, diverged: end.diverged)
    }
    var evaluator = Evaluator<Float>()
    return (trainer.history, doctor.diagnoses, evaluator.evaluate(trainer.best, on: split.test).accuracy, trainer.optimizer)
}

let momentum = run(Momentum<Float>(learningRate: 0.5, momentum: 0.9), learningRate: 0.5, epochs: 3)
let clipped = run(ClippedGradientDescent(learningRate: 1, clip: 1), learningRate: 1, epochs: 3)
// The question's own update rule (it multiplies the weights by μ every step): the doctor names it.
let question = run(TheQuestionsMomentum(learningRate: 0.5, momentum: 0.9), learningRate: 0.5, epochs: 3)
print("momentum:                 test accuracy \(String(format: "%.4f", momentum.test))")
print("clipped gradient descent: test accuracy \(String(format: "%.4f", clipped.test)) "
      + "(\(clipped.optimizer.clipped) gradients clipped)")

// The doctor's findings are values: filter them, count them, save them as JSON.
print("the question's update rule: test accuracy \(String(format: "%.4f", question.test))")
for (name, diagnoses) in [("momentum", momentum.diagnoses), ("clipped", clipped.diagnoses), ("question", question.diagnoses)] {
    let codes = diagnoses.map { "\($0.code) (epoch \($0.epoch))" }
    print("doctor, \(name): \(codes.isEmpty ? "nothing to report" : codes.joined(separator: ", "))")
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try encoder.encode(momentum.diagnoses + clipped.diagnoses).write(to: out.appendingPathComponent("diagnoses.json"))

// Both runs' validation loss, drawn as an SVG plot.
let plot = HistoryPlot.svg([("momentum 0.9, η 0.5", momentum.history), ("clipped GD, η 1, c 1", clipped.history)])
try plot.write(to: out.appendingPathComponent("history.svg"), atomically: true, encoding: .utf8)
print("wrote \(out.appendingPathComponent("history.svg").path) and diagnoses.json")
