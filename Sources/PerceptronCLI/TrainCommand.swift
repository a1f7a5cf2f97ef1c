import ArgumentParser
import Foundation
import Perceptron
import PerceptronData

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network, keep the epoch with the lowest validation loss, and report its test accuracy.",
        discussion: """
            The protocol: the 60,000 training images train; the 10,000 test images are shuffled with the \
            seed and split into 5,000 validation images (which select the epoch) and 5,000 test images \
            (reported once, at the end). With no options it trains the default model: 784-800-10 ReLU, \
            momentum SGD, 12 epochs.
            """)

    @Option(help: "The data folder (default: $PERCEPTRON_DATA or data/mnist; for fashion /usr/share/datasets/fashion-mnist).")
    var data: String?

    @Option(help: "mnist or fashion.")
    var dataset: Dataset = .mnist

    @Option(help: "Hidden layer sizes, comma-separated (e.g. 500 or 500,300; none for no hidden layer).")
    var hidden: HiddenSizes = HiddenSizes([800])

    @Option(help: "The hidden layers' activation: sigmoid, tanh or relu.")
    var activation: Activation = .relu

    @Option(help: "Weight initialiser: glorot, he, normal:MEAN,STD or uniform:LOW,HIGH (default: he for relu, glorot otherwise).")
    var `init`: Initializer?

    @Option(help: "Passes over the training set.")
    var epochs = 12

    @Option(help: "Examples per gradient step (60000 for full-batch gradient descent).")
    var batchSize = 128

    @Option(help: "The learning rate η.")
    var lr = 0.05

    @Option(help: "The momentum μ (0 for plain gradient descent).")
    var momentum = 0.9

    @Flag(help: "Use Nesterov's momentum.")
    var nesterov = false

    @Option(help: "L2 weight decay λ (weights only).")
    var weightDecay = 0.0

    @Option(help: "How batch losses combine: mean or sum.")
    var lossReduction: LossReduction = .mean

    @Option(help: "The seed of every random choice: initial weights, the validation/test split, the batch order.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many epochs without a lower validation loss.")
    var patience: Int?

    @Option(help: "Threads for the matrix products (default: every core).")
    var threads: Int?

    @Option(help: "The folder for model.safetensors and metrics.json (default: a new folder under runs/).")
    var out: String?

    @Flag(help: "Print only the final result.")
    var quiet = false

    func validate() throws {
        guard epochs >= 0 else { throw ValidationError("--epochs must be 0 or more, not \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
        guard lr.isFinite, lr > 0 else { throw ValidationError("--lr must be a positive number, not \(lr)") }
        guard momentum.isFinite, (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1), not \(momentum)") }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw ValidationError("--weight-decay must be 0 or more, not \(weightDecay)") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1, not \(patience)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
    }

    func run() throws {
        OneDNN.threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let quiet = quiet
        let log: @Sendable (String) -> Void = { if !quiet { print($0) } }
        let outputFolder = try RunFolder.prepare(out)
        let dataFolder = data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: dataset)
        let splits = try DataPreparation.load(dataset, from: dataFolder, log: log)

        // One seed, one generator per purpose ("split", "init", "shuffle").
        let root = SplitMix64(seed: seed)
        let split = ProtocolSplit(testSet: splits.test, seed: seed)
        let (validation, test) = (split.validation, split.test)

        var initGenerator = root.stream("init")
        let sizes = [splits.train.pixelsPerImage] + hidden.sizes + [10]
        let network = Network<Float>(sizes: sizes, hiddenActivation: activation, initializer: `init`, using: &initGenerator)
        let options = TrainingOptions(epochs: epochs, batchSize: batchSize, learningRate: lr, momentum: momentum,
                                      nesterov: nesterov, weightDecay: weightDecay, lossReduction: lossReduction, patience: patience)
        let optimizer = Momentum<Float>(learningRate: Float(lr), momentum: Float(momentum), nesterov: nesterov, weightDecay: Float(weightDecay))
        var trainer = Trainer(network: network, optimizer: optimizer, options: options, shuffler: root.stream("shuffle"))

        var report = RunMetrics(config: configuration(dataFolder: dataFolder, outputFolder: outputFolder),
                               architecture: network.architecture, parameters: network.parameterCount,
                               backend: OneDNN.backendDescription)
        log("\(dataset.rawValue): \(splits.train.count) training, \(validation.count) validation, \(test.count) test images from \(dataFolder.path)")
        log("network \(network.architecture) (\(activation.rawValue)), \(network.parameterCount) parameters; \(report.backend)")
        log("epoch  train_loss  val_loss  val_acc   train_s  eval_s")

        let modelURL = outputFolder.appendingPathComponent("model.safetensors")
        let metricsURL = outputFolder.appendingPathComponent("metrics.json")
        var progress = ProgressBar(enabled: !quiet && isatty(STDOUT_FILENO) != 0)
        let outcome = try trainer.train(on: splits.train, validation: validation, onBatch: { progress.update($0) }) { end in
            progress.clear()
            log(EpochLine(end.record, isBest: end.isBest).text)
            report.history.append(end.record)
            if end.isBest {
                report.bestEpoch = end.record.epoch
                report.bestValidationLoss = end.record.valLoss
                try ModelFile.write(end.best, metadata: report.modelMetadata, to: modelURL)
            }
            try report.write(to: metricsURL)
        }

        var evaluator = Evaluator<Float>()
        let testResult = evaluator.evaluate(trainer.best, on: test)
        let test10k = evaluator.evaluate(trainer.best, on: splits.test)
        report.outcome = outcome.name
        report.testLoss = testResult.loss
        report.testAccuracy = testResult.accuracy
        report.test10kAccuracy = test10k.accuracy
        let trainSeconds = report.history.reduce(0) { $0 + $1.trainSeconds }
        report.trainSeconds = trainSeconds
        try ModelFile.write(trainer.best, metadata: report.modelMetadata, to: modelURL)
        try report.write(to: metricsURL)

        if case .diverged(let epoch) = outcome {
            print("training diverged in epoch \(epoch): the loss became NaN or infinite (try a smaller --lr than \(lr));"
                  + " the best network so far (epoch \(report.bestEpoch)) is kept in \(modelURL.path)")
            throw ExitCode.failure
        }
        if case .stoppedEarly(let epoch) = outcome {
            log("stopped early after epoch \(epoch): no lower validation loss for \(patience ?? 0) epochs")
        }
        print("best epoch \(report.bestEpoch) (val_loss \(fixed(report.bestValidationLoss))): "
              + "test_accuracy \(percent(testResult.accuracy)) on \(test.count) images, "
              + "test10k_accuracy \(percent(test10k.accuracy)); \(fixed(trainSeconds, 1)) s of training")
        print("saved \(modelURL.path) and \(metricsURL.lastPathComponent)")
    }

    private func configuration(dataFolder: URL, outputFolder: URL) -> RunMetrics.Configuration {
        .init(dataset: dataset.rawValue, data: dataFolder.path, hidden: hidden.sizes, activation: activation.rawValue,
              initializer: (`init` ?? .standard(for: activation)).description, epochs: epochs, batchSize: batchSize,
              learningRate: lr, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
              lossReduction: lossReduction.rawValue, seed: seed, patience: patience,
              threads: OneDNN.threadCount, out: outputFolder.path)
    }
}

/// `--hidden 500,300`
struct HiddenSizes: ExpressibleByArgument, Equatable {
    var sizes: [Int]

    init(_ sizes: [Int]) { self.sizes = sizes }

    init?(argument: String) {
        if argument.lowercased() == "none" { sizes = []; return }
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 1 << 16 }) else { return nil }
        sizes = parts.map { $0! }
    }

    var defaultValueDescription: String { sizes.map(String.init).joined(separator: ",") }
}

extension Dataset: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["sigmoid", "tanh", "relu"] }
}
extension LossReduction: ExpressibleByArgument {}
extension Initializer: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Trainer.Outcome {
    var name: String {
        switch self {
        case .completed: "completed"
        case .stoppedEarly: "stopped_early"
        case .diverged: "diverged"
        }
    }
}

/// `    3      0.0812    0.0901   97.32%    0.71    0.05  *`
struct EpochLine {
    let text: String

    init(_ record: EpochRecord, isBest: Bool) {
        text = String(record.epoch).leftPadded(5) + fixed(record.trainLoss).leftPadded(12) + fixed(record.valLoss).leftPadded(10)
            + percent(record.valAccuracy).leftPadded(9) + fixed(record.trainSeconds, 2).leftPadded(10)
            + fixed(record.evalSeconds, 2).leftPadded(8) + (isBest ? "  *" : "")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
