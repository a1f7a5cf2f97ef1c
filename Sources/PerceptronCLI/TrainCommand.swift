import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData
import PerceptronReport

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network, keep the epoch with the lowest validation loss, and report its test accuracy.",
        discussion: """
            The protocol: the 60,000 training images train; the 10,000 test images are shuffled with the \
            seed and split into 5,000 validation images (which select the epoch) and 5,000 test images \
            (reported once, at the end). --validation-from train is the papers' protocol instead: 10,000 \
            training images (--validation-size) select the epoch, the rest train, and all 10,000 test images \
            are reported once. Data without test files of its own (a CSV file, class folders, \
            IDX training files alone) gives stratified shares of its images to validation and test \
            (--holdout). With no options it trains the default model: 784-800-10 ReLU, momentum SGD, 12 epochs.
            """)

    @Option(help: "A JSON file of options (any of the keys of config.json); flags given here override it.")
    var config: String?

    @Option(help: "A named configuration: the file examples/preset-NAME.json of the project (fast: 98.1–98.4 % in 9 epochs, 6–8.5 s here; best: 99.4 % in about 5 minutes; record: the papers' protocol, --validation-from train, 784-2000-1500-1000-500-10 on deformed digits with weight decay, 22–27 minutes on two cores).")
    var preset: String?

    @Option(help: "The data: a folder of IDX files, a CSV file in Kaggle's layout (label,pixel0,…), or a folder of class folders (DIR/cat/*.png) (default: $PERCEPTRON_DATA or data/mnist; for fashion /usr/share/datasets/fashion-mnist).")
    var data: String?

    @Option(help: "mnist, fashion or custom (default: mnist; with --data, what the data is: mnist for MNIST's four IDX files, custom for anything else).")
    var dataset: Dataset?

    @Option(help: ArgumentHelp("For data without test files: the shares of its images held out, stratified by class, to validate and to test (default: 0.1,0.1).", valueName: "validation,test"))
    var holdout: HoldoutShares?

    @Option(help: "Where the images that select the epoch come from: t10k (half of the test set, the other half tests: the default) or train (--validation-size training images, so that all the test images test, as in papers).")
    var validationFrom: RunSettings.ValidationSource?

    @Option(help: "With --validation-from train: the training images held out to validate, stratified by class (default: 10000).")
    var validationSize: Int?

    @Option(help: "Hidden layer sizes, comma-separated: 500 or 500,300; none for no hidden layer (default: 800).")
    var hidden: HiddenSizes?

    @Option(help: "The hidden layers' activation: sigmoid, tanh or relu (default: relu).")
    var activation: Activation?

    @Option(help: "Weight initialiser: glorot, he, normal:MEAN,STD or uniform:LOW,HIGH (default: he for relu, glorot otherwise).")
    var `init`: Initializer?

    @Option(help: "Passes over the training set (default: 12).")
    var epochs: Int?

    @Option(help: "Examples per gradient step; 60000 for full-batch gradient descent (default: 128).")
    var batchSize: Int?

    @Option(help: "The learning rate η (default: 0.05).")
    var lr: Double?

    @Option(help: "The momentum μ; 0 for plain gradient descent (default: 0.9).")
    var momentum: Double?

    @Flag(inversion: .prefixedNo, help: "Nesterov's momentum instead of the classic one (default: classic).")
    var nesterov: Bool?

    @Option(help: "L2 weight decay λ, on weights only (default: 0).")
    var weightDecay: Double?

    @Option(help: "How batch losses combine: mean or sum (default: mean).")
    var lossReduction: LossReduction?

    @Option(help: "The seed of every random choice: initial weights, the validation/test split, the batch order (default: 1).")
    var seed: UInt64?

    @Option(help: "Stop after this many epochs without a lower validation loss (default: never).")
    var patience: Int?

    @Flag(inversion: .prefixedNo, help: "Visit the training images in a new random order each epoch; --no-shuffle keeps the files' order (default: on).")
    var shuffle: Bool?

    @Option(help: "Threads for the matrix products (default: every core).")
    var threads: Int?

    @Option(help: "The folder for model.safetensors, metrics.json, config.json and the report (default: a new folder under runs/).")
    var out: String?

    @Flag(inversion: .prefixedNo, help: "Let the training doctor watch the run and explain what goes wrong (default: on).")
    var doctor: Bool?

    @Option(help: "momentum (gradient descent with momentum), adam or adamw (default: momentum).")
    var optimizer: OptimizerKind?

    @Option(help: "Learning-rate schedule: constant, step:EVERY,FACTOR, exponential:FACTOR or cosine (default: constant).")
    var schedule: LearningRateSchedule?

    @Option(help: "Epochs of linear learning-rate warm-up (default: 0).")
    var warmup: Double?

    @Option(help: "Dropout rates, comma-separated: the input's, then each hidden layer's, e.g. 0.2,0.5 (default: none).")
    var dropout: DropoutRates?

    @Option(help: "Max-norm: after every step, shrink each unit's incoming weights to length at most C (default: none).")
    var maxNorm: Double?

    @Option(help: "Epochs over which the momentum rises from 0.5 to --momentum (default: 0, none).")
    var momentumWarmup: Double?

    @Option(help: "The matrix products' number format: fp32, or bf16; the default is bf16 where the CPU has it and its bf16 products outrun fp32 (AMX, or AMD with AVX-512 BF16), else fp32.")
    var precision: Precision?

    @Option(help: "Distort the training images anew each epoch: none, standard, or e.g. rotation=12,scale=0.1,shear=0.15,shift=2,alpha=34,sigma=4 (default: none; see `perceptron augment --show`).")
    var augment: Augmentation?

    @Option(help: ArgumentHelp("With --augment: distort the images of epochs 1…N only, and train the later ones on the images as they are (default: every epoch).", valueName: "N"))
    var augmentEpochs: Int?

    @Flag(help: "Train into --out even where it holds a run: its files are removed first (without it, such a folder is refused).")
    var force = false

    @Flag(help: "Print only the final result.")
    var quiet = false

    @Option(help: ArgumentHelp("Continue the stopped run in this folder from its last finished epoch (its settings are kept; --epochs may extend it).", valueName: "dir"))
    var resume: String?

    /// The flags given on the command line, as configuration keys.
    private var givenOptions: [String: Any] {
        typealias Run = RunSettings.CodingKeys
        typealias Training = TrainingOptions.CodingKeys
        let given: [(CodingKey, Any?)] = [
            (Run.dataset, dataset?.rawValue), (Run.data, data), (Run.holdout, holdout?.shares),
            (Run.validationFrom, validationFrom?.rawValue), (Run.validationSize, validationSize), (Run.hidden, hidden?.sizes), (Run.activation, activation?.rawValue),
            (Run.initializer, `init`?.description), (Run.seed, seed), (Run.threads, threads), (Run.out, out), (Run.doctor, doctor),
            (Training.epochs, epochs), (Training.batchSize, batchSize), (Training.learningRate, lr), (Training.momentum, momentum),
            (Training.nesterov, nesterov), (Training.weightDecay, weightDecay), (Training.lossReduction, lossReduction?.rawValue),
            (Training.patience, patience), (Training.shuffle, shuffle), (Training.optimizer, optimizer?.rawValue), (Training.schedule, schedule?.description),
            (Training.warmup, warmup), (Training.dropout, dropout?.rates), (Training.maxNorm, maxNorm),
            (Training.momentumWarmup, momentumWarmup), (Training.precision, precision?.rawValue),
            (Run.augment, augment?.description), (Training.augmentEpochs, augmentEpochs),
        ]
        return Dictionary(uniqueKeysWithValues: given.compactMap { key, value in value.map { (key.stringValue, $0) } })
    }

    /// The defaults, then the configuration file, then the flags; and whether the file or the
    /// flags name the dataset.
    func resolvedConfiguration() throws -> (configuration: RunConfiguration, namesDataset: Bool) {
        if preset != nil, config != nil { throw RunError("give --preset or --config, not both") }
        let config = config ?? preset.map { "examples/preset-\($0).json" }
        if let preset, let config, !FileManager.default.fileExists(atPath: config) {
            throw RunError("no preset '\(preset)': presets are the files examples/preset-NAME.json of the project folder "
                           + "(run from there, or pass the file with --config)")
        }
        var file: Data?
        if let config {
            do { file = try Data(contentsOf: URL(fileURLWithPath: config)) } catch {
                throw RunError("cannot read the configuration file \(config): \(error.localizedDescription)")
            }
        }
        let resolved = try RunConfiguration.resolve(file: file, source: config ?? "the command line", overrides: givenOptions)
        if let problem = resolved.problem { throw RunError("\(config.map { "\($0): " } ?? "")\(problem)") }
        let fileKeys = file.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?.keys
        return (resolved, dataset != nil || fileKeys?.contains(RunSettings.CodingKeys.dataset.stringValue) == true)
    }

    func run() throws {
        if resume != nil, force { throw RunError("--resume continues the run in its folder and --force replaces it: give one of them") }
        if let resume { try RunLock.acquire(URL(fileURLWithPath: resume)) }  // before reading: no other run is writing it
        let checkpoint = try resume.map { try Checkpoint.load(folder: URL(fileURLWithPath: $0), overrides: givenOptions) }
        if checkpoint != nil, config != nil { throw RunError("--resume takes the run's own settings; leave out --config") }
        let resolved = try checkpoint.map { (configuration: $0.configuration, namesDataset: true) } ?? resolvedConfiguration()
        var settings = resolved.configuration
        OneDNN.threadCount = settings.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let quiet = quiet
        let log: @Sendable (String) -> Void = { if !quiet { print($0) } }
        // Without --data the run is the dataset's; with it and no dataset named, the data says what it is.
        let namedDataset = resolved.namesDataset || settings.data == nil ? settings.dataset : nil
        let dataFolder = settings.data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: settings.dataset)
        let outputFolder = try RunFolder.prepare(settings.out, resuming: checkpoint != nil, force: force)
        let splits = try DataPreparation.load(namedDataset, from: dataFolder, log: log)
        let classes = splits.classes
        if let problem = settings.run.problem(inputs: splits.train.pixelsPerImage, classes: classes.count) { throw RunError(problem) }
        settings.dataset = splits.dataset
        settings.data = dataFolder.path
        settings.out = outputFolder.path
        settings.threads = OneDNN.threadCount
        settings.initializer = settings.initializer ?? .standard(for: settings.activation)
        if !settings.precision.isSupported {
            log("note: this CPU has no \(settings.precision) matrix products; training in \(settings.precision.supported)")
            settings.precision = settings.precision.supported
        }
        try settings.write(to: outputFolder.appendingPathComponent("config.json"))

        // One seed, one generator per purpose ("split" or "holdout", "init", "shuffle").
        let root = SplitMix64(seed: settings.seed)
        let split = try DataPreparation.split(splits, for: settings.run)

        var initGenerator = root.stream("init")
        let sizes = settings.run.sizes(inputs: split.train.pixelsPerImage, classes: classes.count)
        let network = Network<Float>(sizes: sizes, hiddenActivation: settings.activation, initializer: settings.initializer,
                                     using: &initGenerator)
        switch settings.optimizer {
        case .adam, .adamw:
            let adam = Adam<Float>(learningRate: Float(settings.learningRate), weightDecay: Float(settings.weightDecay),
                                   decoupled: settings.optimizer == .adamw)
            try train(network, optimizer: adam, settings: settings, checkpoint: checkpoint, data: (splits, split),
                      folders: (dataFolder, outputFolder), root: root, log: log)
        case .momentum:
            let momentum = Momentum<Float>(learningRate: Float(settings.learningRate), momentum: Float(settings.momentum),
                                           nesterov: settings.nesterov, weightDecay: Float(settings.weightDecay))
            try train(network, optimizer: momentum, settings: settings, checkpoint: checkpoint, data: (splits, split),
                      folders: (dataFolder, outputFolder), root: root, log: log)
        }
    }

    /// Trains `network` with `optimizer`, writing the run's files as it goes.
    private func train<O: Optimizer>(
        _ network: Network<Float>, optimizer: O, settings: RunConfiguration, checkpoint: Checkpoint?,
        data: (splits: DatasetSplits, split: ProtocolSplit),
        folders: (data: URL, output: URL), root: SplitMix64, log: @escaping @Sendable (String) -> Void
    ) throws where O.Scalar == Float {
        let (splits, split) = data
        let (validation, test) = (split.validation, split.test)
        let (dataFolder, outputFolder) = folders
        let dataset = settings.dataset
        let sizes = network.sizes
        var trainer = Trainer(network: network, optimizer: optimizer, options: settings.training, shuffler: root.stream("shuffle"),
                              augmentation: settings.augment.isActive ? settings.augment : nil)
        var doctor = settings.doctor ? TrainingDoctor(validation: validation, classes: splits.classes.count, learningRate: settings.learningRate,
                                                          lossReduction: settings.lossReduction) : nil
        var metrics = RunMetrics(config: settings, architecture: network.architecture, parameters: network.parameterCount,
                                 backend: OneDNN.backendDescription(for: settings.precision))
        metrics.splitProtocol = SplitProtocol(split)
        metrics.classes = splits.classes
        var files = RunFiles(folder: outputFolder, metrics: metrics, resuming: checkpoint)
        if let checkpoint {
            var resumedOptimizer = optimizer
            do { try resumedOptimizer.restore(checkpoint.optimizerState, for: checkpoint.network) } catch {
                throw RunError("--resume \(outputFolder.path): \(Checkpoint.fileName): \(error)")
            }
            guard checkpoint.network.sizes == sizes else {
                throw RunError("--resume \(outputFolder.path): the saved network is \(checkpoint.network.architecture), the data need \(network.architecture)")
            }
            trainer = Trainer(resuming: checkpoint.network, optimizer: resumedOptimizer, options: settings.training,
                              shuffler: root.stream("shuffle"), history: checkpoint.metrics.history,
                              best: checkpoint.best, bestEpoch: checkpoint.metrics.bestEpoch,
                              dropoutGenerator: checkpoint.dropoutState.map { SplitMix64(seed: $0) },
                              augmentation: settings.augment.isActive ? settings.augment : nil)
            doctor?.restore(diagnoses: checkpoint.metrics.diagnoses, statistics: checkpoint.metrics.statistics)
            log("resuming \(outputFolder.path) after epoch \(checkpoint.metrics.history.count - 1)")
        }
        let heldOut = switch split.kind {
        case .holdout: " (held out of \(splits.train.count), stratified by class)"
        case .train: " (validation held out of the \(splits.train.count) training images, stratified by class; every test image tests)"
        case .t10k: ""
        }
        log("\(dataset.rawValue): \(split.train.count) training, \(validation.count) validation, \(test.count) test images\(heldOut) from \(dataFolder.path)"
            + (dataset == .custom ? "; \(splits.classes.count) classes: \(classList(splits.classes))" : ""))
        log("network \(network.architecture) (\(settings.activation.rawValue)), \(network.parameterCount) parameters; \(metrics.backend)")
        log("epoch  train_loss  val_loss  val_acc   train_s  eval_s")

        var progress = ProgressBar(enabled: !quiet && isatty(STDOUT_FILENO) != 0)
        StopRequest.install()
        let outcome = try trainer.train(on: split.train, validation: validation, shouldStop: { StopRequest.isRequested },
                                        onBatch: { progress.update($0) }) { end in
            progress.clear()
            log(EpochLine(end.record, isBest: end.isBest).text)
            for diagnosis in doctor?.examine(end.network, history: end.history, updateRatios: end.updateRatios,
                                                         updateShrinkages: end.updateShrinkages, stepLearningRate: end.stepLearningRate,
                                                         diverged: end.diverged) ?? [] {
                log(diagnosis.printed)
            }
            try files.record(end, doctor: doctor)
        }
        let (modelURL, report) = (files.modelURL, files.metrics)

        if case .interrupted(let epoch) = outcome {
            progress.clear()
            try files.interrupt()
            print("interrupted during epoch \(epoch): the best network (epoch \(report.bestEpoch)) is in \(modelURL.path); "
                  + "continue with `perceptron train --resume \(outputFolder.path)`")
            throw ExitCode(130)
        }

        var evaluator = Evaluator<Float>()
        let testResult = evaluator.evaluate(trainer.best, on: test)
        let test10k: Evaluation? = switch split.kind {
        case .t10k: splits.test.map { evaluator.evaluate(trainer.best, on: $0) }
        case .train: testResult  // the test images are the whole test set
        case .holdout: nil
        }
        try files.finish(outcome: outcome.name, best: trainer.best, test: testResult, test10k: test10k)
        try Report.write(to: outputFolder, metrics: files.metrics, network: trainer.best, test: test)

        if case .diverged(let epoch) = outcome {
            print("training diverged in epoch \(epoch): the loss became NaN or infinite or exploded (try a smaller --lr than \(settings.learningRate));"
                  + " the best network so far (epoch \(report.bestEpoch)) is kept in \(modelURL.path)")
            throw ExitCode.failure
        }
        if case .stoppedEarly(let epoch) = outcome {
            log("stopped early after epoch \(epoch): no lower validation loss for \(settings.patience ?? 0) epochs")
        }
        let finished = files.metrics
        print("best epoch \(finished.bestEpoch) (val_loss \(fixed(finished.bestValidationLoss))): "
              + "test_accuracy \(percent(testResult.accuracy)) on \(test.count) images"
              + (finished.test10kAccuracy.map { ", test10k_accuracy \(percent($0))" } ?? " (held out)")
              + "; \(fixed(finished.trainSeconds ?? 0, 1)) s of training")
        print("saved \(modelURL.path), metrics.json, config.json and the report, \(outputFolder.appendingPathComponent("index.html").path)")
    }
}

/// `--dropout 0.2,0.5`
struct DropoutRates: ExpressibleByArgument {
    var rates: [Double]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 && $0! < 1 }) else { return nil }
        rates = parts.map { $0! }
    }
}

/// `--holdout 0.1,0.1`: the validation and the test share.
struct HoldoutShares: ExpressibleByArgument {
    var shares: [Double]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts.allSatisfy({ $0 != nil && $0! > 0 && $0! < 1 }), parts.reduce(0, { $0 + ($1 ?? 0) }) < 1 else { return nil }
        shares = parts.map { $0! }
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
extension RunSettings.ValidationSource: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["sigmoid", "tanh", "relu"] }
}
extension LossReduction: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
extension Augmentation: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
extension Initializer: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
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

extension LearningRateSchedule: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
