import Foundation
import Perceptron
import Testing

/// Momentum whose learning rate changes to `laterLearningRate` after `switchAfter` updates: a
/// negative one climbs the loss (so the best epoch is not the last), a huge one makes it diverge.
struct SwitchingMomentum: Optimizer {
    var momentum: Momentum<Float>
    var switchAfter: Int
    var laterLearningRate: Float
    var updates = 0

    var learningRate: Float {
        get { momentum.learningRate }
        set { momentum.learningRate = newValue }
    }

    mutating func withGradientDestination<R>(
        for network: Network<Float>, _ body: (inout [DenseGradient<Float>], GradientAccumulation<Float>) throws -> R) rethrows -> R {
        if updates == switchAfter {
            momentum.learningRate = laterLearningRate
            momentum.velocity = []
        }
        return try momentum.withGradientDestination(for: network, body)
    }

    mutating func update(_ network: inout Network<Float>) {
        updates += 1
        momentum.update(&network)
    }

    var state: [String: Matrix<Float>] { momentum.state }

    mutating func restore(_ state: [String: Matrix<Float>], for network: Network<Float>) throws(OptimizerStateError) {
        try momentum.restore(state, for: network)
    }
}

/// Momentum that, at update number `poisonAt`, sets every weight to NaN after stepping: the batch
/// loss it was given was still finite, but the network it leaves behind is not.
struct PoisoningMomentum: Optimizer {
    var momentum: Momentum<Float>
    var poisonAt: Int
    var updates = 0

    var learningRate: Float {
        get { momentum.learningRate }
        set { momentum.learningRate = newValue }
    }

    mutating func withGradientDestination<R>(
        for network: Network<Float>, _ body: (inout [DenseGradient<Float>], GradientAccumulation<Float>) throws -> R) rethrows -> R {
        try momentum.withGradientDestination(for: network, body)
    }

    mutating func update(_ network: inout Network<Float>) {
        momentum.update(&network)
        if updates == poisonAt {
            for l in network.layers.indices { network.layers[l].weight = Matrix(rows: network.layers[l].weight.rows,
                                                                                 columns: network.layers[l].weight.columns, repeating: .nan) }
        }
        updates += 1
    }

    var state: [String: Matrix<Float>] { momentum.state }

    mutating func restore(_ state: [String: Matrix<Float>], for network: Network<Float>) throws(OptimizerStateError) {
        try momentum.restore(state, for: network)
    }
}

/// A stand-in augmentation: every byte of epoch `e`'s images moves by up to ±40, drawn from the
/// generator's stream for `e` alone.
struct PixelNoise: TrainingAugmentation {
    func augment(_ source: LabeledImages, epoch: Int, generator: SplitMix64, into target: inout LabeledImages) {
        var noise = generator.stream("epoch \(epoch)")
        target = source
        target.images = source.images.map { UInt8(clamping: Int($0) + noise.nextIndex(below: 81) - 40) }
    }
}

@Suite("Trainer")
struct TrainerTests {
    static let training = quadrantImages(count: 240, seed: 1)
    static let validation = quadrantImages(count: 90, seed: 2)

    static func network(_ activation: Activation = .sigmoid, seed: UInt64 = 3) -> Network<Float> {
        var generator = SplitMix64(seed: seed)
        return Network(sizes: [16, 8, 3], hiddenActivation: activation, using: &generator)
    }

    /// Everything in a record but the seconds, which depend on the machine.
    static func numbers(_ history: [EpochRecord]) -> [[Double]] {
        history.map { [Double($0.epoch), $0.trainLoss, $0.valLoss, $0.valAccuracy] }
    }

    @Test("the loss falls and the accuracy rises far above chance")
    func learns() {
        var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 0.5, momentum: 0.9),
                              options: TrainingOptions(epochs: 5, batchSize: 16), shuffler: SplitMix64(seed: 4))
        var epochsSeen: [Int] = []
        let outcome = trainer.train(on: Self.training, validation: Self.validation) { epochsSeen.append($0.record.epoch) }
        #expect(outcome == .completed)
        #expect(epochsSeen == Array(0...5))
        #expect(trainer.history.map(\.epoch) == Array(0...5))
        let first = trainer.history.first!, last = trainer.history.last!
        #expect(first.valAccuracy < 0.6)
        #expect(last.valAccuracy >= 0.95)
        #expect(last.valLoss < first.valLoss / 10)
        #expect(last.trainLoss < first.trainLoss / 10)
        #expect(trainer.history.allSatisfy { $0.isFinite && $0.trainSeconds >= 0 && $0.evalSeconds >= 0 })
        #expect(trainer.network != Self.network())
    }

    @Test("epoch 0 records the untrained network, measured over the whole training and validation sets")
    func epochZero() {
        var trainer = Trainer(network: Self.network(.tanh), optimizer: Momentum<Float>(learningRate: 0.1),
                              options: TrainingOptions(epochs: 1, batchSize: 32), shuffler: SplitMix64(seed: 4))
        _ = trainer.train(on: Self.training, validation: Self.validation) { _ in }
        var evaluator = Evaluator<Float>()
        let onTraining = evaluator.evaluate(Self.network(.tanh), on: Self.training)
        let onValidation = evaluator.evaluate(Self.network(.tanh), on: Self.validation)
        let zero = trainer.history[0]
        #expect(zero.epoch == 0 && zero.trainSeconds == 0)
        #expect(isClose(zero.trainLoss, onTraining.loss, relative: 1e-6))
        #expect(isClose(zero.valLoss, onValidation.loss, relative: 1e-6))
        #expect(zero.valAccuracy == onValidation.accuracy)
    }

    @Test("without shuffling the order does not depend on the shuffle seed: every epoch visits the data in its own order")
    func unshuffled() {
        func run(shuffleSeed: UInt64) -> Trainer<Momentum<Float>> {
            var options = TrainingOptions(epochs: 2, batchSize: 20)
            options.shuffle = false
            var trainer = Trainer(network: Self.network(.relu), optimizer: Momentum<Float>(learningRate: 0.1),
                                  options: options, shuffler: SplitMix64(seed: shuffleSeed))
            _ = trainer.train(on: Self.training, validation: Self.validation) { _ in }
            return trainer
        }
        let a = run(shuffleSeed: 9), b = run(shuffleSeed: 10)
        #expect(Self.numbers(a.history) == Self.numbers(b.history))
        #expect(a.network == b.network)
    }

    @Test("the same seeds give identical histories and networks; another shuffle seed another history")
    func deterministic() {
        func run(shuffleSeed: UInt64) -> Trainer<Momentum<Float>> {
            var trainer = Trainer(network: Self.network(.relu), optimizer: Momentum<Float>(learningRate: 0.1, nesterov: true),
                                  options: TrainingOptions(epochs: 3, batchSize: 20), shuffler: SplitMix64(seed: shuffleSeed))
            _ = trainer.train(on: Self.training, validation: Self.validation) { _ in }
            return trainer
        }
        let a = run(shuffleSeed: 9), b = run(shuffleSeed: 9), c = run(shuffleSeed: 10)
        #expect(Self.numbers(a.history) == Self.numbers(b.history))
        #expect(a.network == b.network)
        #expect(a.best == b.best && a.bestEpoch == b.bestEpoch)
        #expect(Self.numbers(a.history) != Self.numbers(c.history))
        #expect(a.network != c.network)
    }

    @Test("best is a real copy: the network of the best epoch, untouched by the epochs after it")
    func bestIsACopy() {
        // Three epochs downhill (8 batches each), then uphill: the best epoch is not the last.
        let optimizer = SwitchingMomentum(momentum: Momentum(learningRate: 0.5), switchAfter: 3 * 8, laterLearningRate: -0.5)
        var trainer = Trainer(network: Self.network(), optimizer: optimizer,
                              options: TrainingOptions(epochs: 6, batchSize: 30), shuffler: SplitMix64(seed: 4))
        trainer.divergenceFactor = 1e9  // climbing is the point here, not an explosion
        var bestAt: [Int: Network<Float>] = [:]
        var isBest: [Bool] = []
        let outcome = trainer.train(on: Self.training, validation: Self.validation) { end in
            isBest.append(end.isBest)
            bestAt[end.record.epoch] = end.best
        }
        #expect(outcome == .completed)
        let losses = trainer.history.map(\.valLoss)
        let bestEpoch = trainer.bestEpoch
        guard bestEpoch < 6 else {
            Issue.record("the uphill epochs must leave an earlier epoch best: \(losses)")
            return
        }
        #expect(bestEpoch == losses.firstIndex(of: losses.min()!)!)
        #expect(trainer.bestValidationLoss == losses[bestEpoch])
        // isBest exactly when the loss is lower than every earlier one.
        #expect(isBest == losses.indices.map { e in losses[..<e].allSatisfy { losses[e] < $0 } })
        // The network handed out at the best epoch is the one kept, and it is not the final network.
        #expect(trainer.best == bestAt[bestEpoch])
        #expect(bestAt[6] == bestAt[bestEpoch])
        #expect(trainer.best != trainer.network)
        // And it really is that epoch's network: it has that epoch's validation loss.
        var evaluator = Evaluator<Float>()
        #expect(evaluator.evaluate(trainer.best, on: Self.validation).loss == trainer.bestValidationLoss)
        #expect(evaluator.evaluate(trainer.network, on: Self.validation).loss == losses[6])
    }

    @Test("on ties the earliest epoch is kept")
    func tiesKeepTheEarliest() {
        // A learning rate of 0 leaves the network as it is: every epoch has the same validation loss.
        let start = Self.network()
        var trainer = Trainer(network: start, optimizer: Momentum<Float>(learningRate: 0, momentum: 0),
                              options: TrainingOptions(epochs: 3, batchSize: 50), shuffler: SplitMix64(seed: 4))
        var isBest: [Bool] = []
        let outcome = trainer.train(on: Self.training, validation: Self.validation) { isBest.append($0.isBest) }
        #expect(outcome == .completed)
        #expect(Set(trainer.history.map(\.valLoss)).count == 1)
        #expect(trainer.bestEpoch == 0)
        #expect(isBest == [true, false, false, false])
        #expect(trainer.best == start)
    }

    @Test("patience stops training after that many epochs without a new best")
    func patienceStopsEarly() {
        var flat = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 0, momentum: 0),
                           options: TrainingOptions(epochs: 10, batchSize: 50, patience: 2), shuffler: SplitMix64(seed: 4))
        #expect(flat.train(on: Self.training, validation: Self.validation) { _ in } == .stoppedEarly(epoch: 2))
        #expect(flat.history.count == 3)

        // Downhill for two epochs, then uphill: stops `patience` epochs after the best one.
        let optimizer = SwitchingMomentum(momentum: Momentum(learningRate: 0.5), switchAfter: 2 * 8, laterLearningRate: -0.5)
        var trainer = Trainer(network: Self.network(), optimizer: optimizer,
                              options: TrainingOptions(epochs: 20, batchSize: 30, patience: 3), shuffler: SplitMix64(seed: 4))
        trainer.divergenceFactor = 1e9  // climbing is the point here, not an explosion
        let outcome = trainer.train(on: Self.training, validation: Self.validation) { _ in }
        #expect(outcome == .stoppedEarly(epoch: trainer.bestEpoch + 3))
        #expect(trainer.history.count == trainer.bestEpoch + 4)
        #expect(trainer.history.count < 21)
    }

    @Test("a huge learning rate diverges; best stays the last finite best network")
    func divergence() {
        // Two good epochs (8 batches each), then a learning rate of 10¹⁵.
        let optimizer = SwitchingMomentum(momentum: Momentum(learningRate: 0.5), switchAfter: 2 * 8, laterLearningRate: 1e15)
        var trainer = Trainer(network: Self.network(.relu), optimizer: optimizer,
                              options: TrainingOptions(epochs: 10, batchSize: 30), shuffler: SplitMix64(seed: 4))
        var bestAt: [Int: Network<Float>] = [:]
        var divergedAt: [Int] = []
        let outcome = trainer.train(on: Self.training, validation: Self.validation) { end in
            bestAt[end.record.epoch] = end.best
            if end.diverged { divergedAt.append(end.record.epoch) }
        }
        guard case .diverged(let epoch) = outcome else {
            Issue.record("expected divergence, got \(outcome): \(trainer.history.map(\.valLoss))")
            return
        }
        #expect(epoch == 3)
        #expect(divergedAt == [epoch])
        #expect(trainer.history.count == epoch + 1)
        #expect(trainer.history.dropLast().allSatisfy { $0.isFinite })
        #expect(trainer.bestEpoch >= 1 && trainer.bestEpoch < epoch)
        #expect(trainer.bestValidationLoss.isFinite)
        #expect(flatParameters(trainer.best).allSatisfy { $0.isFinite })
        #expect(trainer.best == bestAt[trainer.bestEpoch])

        // From the start: diverges in epoch 1 and keeps the untrained network.
        var wild = Trainer(network: Self.network(.relu), optimizer: Momentum<Float>(learningRate: 1e15),
                           options: TrainingOptions(epochs: 10, batchSize: 30), shuffler: SplitMix64(seed: 4))
        #expect(wild.train(on: Self.training, validation: Self.validation) { _ in } == .diverged(epoch: 1))
        #expect(wild.best == Self.network(.relu))
    }

    @Test("an epoch that ends with a non-finite network is the diverged one, and training stops after it")
    func nonFiniteEpochEndStopsTraining() {
        // The last step of epoch 2 (8 batches per epoch) leaves NaN weights: every batch loss of the
        // epoch was finite, but its validation loss is not.
        let optimizer = PoisoningMomentum(momentum: Momentum(learningRate: 0.5), poisonAt: 2 * 8 - 1)
        var trainer = Trainer(network: Self.network(), optimizer: optimizer,
                              options: TrainingOptions(epochs: 6, batchSize: 30, patience: 10), shuffler: SplitMix64(seed: 4))
        var divergedAt: [Int] = []
        let outcome = trainer.train(on: Self.training, validation: Self.validation) { end in
            if end.diverged { divergedAt.append(end.record.epoch) }
        }
        #expect(!trainer.history[2].isFinite, "the setup must poison epoch 2")
        #expect(divergedAt.first == 2, "onEpoch is told epoch 2 diverged")
        // "diverged … (and stops after it)": no further epoch runs on a NaN network.
        #expect(outcome == .diverged(epoch: 2))
        #expect(trainer.history.count == 3)
        #expect(trainer.bestEpoch == 1 && flatParameters(trainer.best).allSatisfy { $0.isFinite })
    }

    @Test("a NaN in any one weight or bias shows in the validation loss: no unit can hide it", arguments: [Activation.sigmoid, .tanh, .relu])
    func nanParametersShowInTheLoss(activation: Activation) {
        let network = Self.network(activation)
        for l in network.layers.indices {
            for poisonBias in [false, true] {
                var poisoned = network
                if poisonBias { poisoned.layers[l].bias.elements[0] = .nan } else { poisoned.layers[l].weight.elements[0] = .nan }
                var evaluator = Evaluator<Float>()
                #expect(evaluator.evaluate(poisoned, on: Self.validation).loss.isNaN, "layer \(l), \(poisonBias ? "bias" : "weight") 0")
            }
        }
    }

    @Test("a batch loss beyond divergenceFactor × the untrained loss stops training as diverged, even when finite")
    func explodingLossDiverges() {
        func run(factor: Double) -> (Trainer<Momentum<Float>>.Outcome, [EpochRecord]) {
            var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 1e4),
                                  options: TrainingOptions(epochs: 3, batchSize: 30), shuffler: SplitMix64(seed: 4))
            trainer.divergenceFactor = factor
            let outcome = trainer.train(on: Self.training, validation: Self.validation) { _ in }
            return (outcome, trainer.history)
        }
        let (outcome, history) = run(factor: 10)
        #expect(outcome == .diverged(epoch: 1))
        #expect(history.count == 2)
        #expect(history.allSatisfy { $0.isFinite }, "the losses exploded but stayed finite")
        // With no limit the same steps run to the end.
        let (unlimited, all) = run(factor: .infinity)
        #expect(unlimited == .completed)
        #expect(all.count == 4 && all.dropFirst().allSatisfy { $0.trainLoss > 10 * all[0].trainLoss })
    }

    @Test("shouldStop interrupts after the batch, leaving the unfinished epoch unrecorded")
    func interruption() {
        var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 0.5),
                              options: TrainingOptions(epochs: 5, batchSize: 30), shuffler: SplitMix64(seed: 4))
        var batches = 0
        let outcome = trainer.train(on: Self.training, validation: Self.validation,
                                    shouldStop: { batches == 8 + 3 }, onBatch: { _ in batches += 1 }) { _ in }
        #expect(outcome == .interrupted(epoch: 2))
        #expect(batches == 11)
        #expect(trainer.history.map(\.epoch) == [0, 1])
    }

    @Test("a run resumed from a checkpoint continues bit for bit as if it had never stopped")
    func resumeIsExact() throws {
        let options = TrainingOptions(epochs: 4, batchSize: 25)  // 240 = 9 × 25 + 15: an uneven last batch too
        func optimizer() -> Momentum<Float> { Momentum(learningRate: 0.3, momentum: 0.9, nesterov: true, weightDecay: 1e-3) }
        var straight = Trainer(network: Self.network(.tanh), optimizer: optimizer(), options: options, shuffler: SplitMix64(seed: 11))
        var records: [EpochRecord] = []
        var checkpoint: (network: Network<Float>, state: [String: Matrix<Float>], best: Network<Float>, bestEpoch: Int)?
        var bestEpoch = 0
        _ = straight.train(on: Self.training, validation: Self.validation) { end in
            if end.isBest { bestEpoch = end.record.epoch }
            if end.record.epoch <= 2 { records.append(end.record) }
            if end.record.epoch == 2 { checkpoint = (end.network, end.optimizer.state, end.best, bestEpoch) }
        }
        let saved = try #require(checkpoint)
        #expect(!saved.state.isEmpty)

        // Through a checkpoint file: the network with the optimiser's state beside it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PerceptronTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("last.safetensors")
        try ModelFile.write(saved.network, extras: saved.state, to: url)
        let network = try ModelFile.read(Float.self, from: url).network
        var restored = optimizer()
        try restored.restore(try ModelFile.extras(Float.self, from: url), for: network)

        var resumed = Trainer(resuming: network, optimizer: restored, options: options, shuffler: SplitMix64(seed: 11),
                              history: records, best: saved.best, bestEpoch: saved.bestEpoch)
        #expect(resumed.train(on: Self.training, validation: Self.validation) { _ in } == .completed)
        #expect(Self.numbers(resumed.history) == Self.numbers(straight.history))
        #expect(resumed.network == straight.network)
        #expect(resumed.best == straight.best && resumed.bestEpoch == straight.bestEpoch)

        // Without the optimiser's velocity the continuation differs: the comparison above can fail.
        var forgetful = Trainer(resuming: network, optimizer: optimizer(), options: options, shuffler: SplitMix64(seed: 11),
                                history: records, best: saved.best, bestEpoch: saved.bestEpoch)
        _ = forgetful.train(on: Self.training, validation: Self.validation) { _ in }
        #expect(forgetful.network != straight.network)
    }

    /// A run of plain gradient descent (η 0.3, seed 6) on the training quadrants, distorted by `augmentation`.
    static func run(_ options: TrainingOptions, augmentation: (any TrainingAugmentation)? = PixelNoise()) -> Trainer<Momentum<Float>> {
        var trainer = Trainer(network: network(), optimizer: Momentum(learningRate: 0.3, momentum: 0), options: options,
                              shuffler: SplitMix64(seed: 6), augmentation: augmentation)
        _ = trainer.train(on: training, validation: validation) { _ in }
        return trainer
    }

    @Test("an augmentation redraws the training images every epoch: the same seed gives the same run, and a resumed run sees the same images")
    func augmentationIsReproducible() throws {
        let options = TrainingOptions(epochs: 4, batchSize: 30, learningRate: 0.3, momentum: 0)
        let first = Self.run(options), second = Self.run(options)
        #expect(Self.numbers(first.history) == Self.numbers(second.history) && first.network == second.network)
        #expect(Self.run(options, augmentation: nil).network != first.network, "the noise changed what the network learnt")

        // Stop after epoch 2 and go on: epochs 3 and 4 see the same noisy images.
        var halfway = options
        halfway.epochs = 2
        let stopped = Self.run(halfway)
        var resumed = Trainer(resuming: stopped.network, optimizer: Momentum(learningRate: 0.3, momentum: 0), options: options,
                              shuffler: SplitMix64(seed: 6), history: stopped.history, best: stopped.best, bestEpoch: stopped.bestEpoch,
                              augmentation: PixelNoise())
        _ = resumed.train(on: Self.training, validation: Self.validation) { _ in }
        #expect(Self.numbers(resumed.history) == Self.numbers(first.history) && resumed.network == first.network)
    }

    @Test("augment_epochs N: epochs 1…N see the augmentation's images, the later ones the images as they are")
    func augmentationStopsAfterItsEpochs() throws {
        var options = TrainingOptions(epochs: 4, batchSize: 30, learningRate: 0.3, momentum: 0)
        let distortedThroughout = Self.run(options)
        options.augmentEpochs = 2
        let cleanTail = Self.run(options)

        // The same run by hand: two distorted epochs, then two more without the augmentation.
        var firstTwo = options
        firstTwo.epochs = 2
        let distorted = Self.run(firstTwo)
        var clean = Trainer(resuming: distorted.network, optimizer: Momentum(learningRate: 0.3, momentum: 0), options: options,
                            shuffler: SplitMix64(seed: 6), history: distorted.history, best: distorted.best,
                            bestEpoch: distorted.bestEpoch, augmentation: nil)
        _ = clean.train(on: Self.training, validation: Self.validation) { _ in }
        #expect(Self.numbers(cleanTail.history) == Self.numbers(clean.history) && cleanTail.network == clean.network)
        #expect(cleanTail.network != distortedThroughout.network)

        options.augmentEpochs = 0
        var plain = options
        plain.augmentEpochs = nil
        #expect(Self.run(options).network == Self.run(plain, augmentation: nil).network, "0 distorts no epoch")
        options.augmentEpochs = -1
        #expect(options.problem == "augment_epochs must be 0 or more, not -1")
    }

    @Test("full batch: one step per epoch over every example")
    func fullBatch() {
        var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 2, momentum: 0.9),
                              options: TrainingOptions(epochs: 15, batchSize: Self.training.count), shuffler: SplitMix64(seed: 4))
        var progress: [(batch: Int, count: Int, done: Int)] = []
        _ = trainer.train(on: Self.training, validation: Self.validation,
                      onBatch: { progress.append(($0.batch, $0.batchCount, $0.examplesDone)) }) { _ in }
        #expect(progress.count == 15)
        #expect(progress.allSatisfy { $0.batch == 1 && $0.count == 1 && $0.done == Self.training.count })
        #expect(trainer.history.last!.valLoss < trainer.history[0].valLoss / 2)
    }

    @Test("a batch size that does not divide the data: the last batch is smaller and every example is used once")
    func unevenBatches() {
        let training = quadrantImages(count: 100, seed: 5)
        var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 0.5),
                              options: TrainingOptions(epochs: 2, batchSize: 32), shuffler: SplitMix64(seed: 4))
        var progress: [Trainer<Momentum<Float>>.BatchProgress] = []
        _ = trainer.train(on: training, validation: Self.validation, onBatch: { progress.append($0) }) { _ in }
        #expect(progress.map(\.examplesDone) == [32, 64, 96, 100, 32, 64, 96, 100])
        #expect(progress.map(\.batch) == [1, 2, 3, 4, 1, 2, 3, 4])
        #expect(progress.allSatisfy { $0.batchCount == 4 })
        #expect(progress.map(\.epoch) == [1, 1, 1, 1, 2, 2, 2, 2])
        // An epoch's training loss is the mean over its batches' examples: the running loss at its end.
        #expect(trainer.history[1].trainLoss == progress[3].runningLoss)
        #expect(trainer.history[2].trainLoss == progress[7].runningLoss)
        #expect(trainer.history.last!.valLoss < trainer.history[0].valLoss)
    }

    @Test("a batch size larger than the data set is one full batch")
    func oversizedBatch() {
        let training = quadrantImages(count: 20, seed: 6)
        var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 0.5),
                              options: TrainingOptions(epochs: 1, batchSize: 128), shuffler: SplitMix64(seed: 4))
        var done: [Int] = []
        _ = trainer.train(on: training, validation: Self.validation, onBatch: { done.append($0.examplesDone) }) { _ in }
        #expect(done == [20])
    }

    @Test("an error thrown from onEpoch stops training and reaches the caller")
    func onEpochErrorsPropagate() {
        struct Stop: Error {}
        var trainer = Trainer(network: Self.network(), optimizer: Momentum<Float>(learningRate: 0.5),
                              options: TrainingOptions(epochs: 5, batchSize: 32), shuffler: SplitMix64(seed: 4))
        #expect(throws: Stop.self) {
            try trainer.train(on: Self.training, validation: Self.validation) { end in
                if end.record.epoch == 2 { throw Stop() }
            }
        }
        #expect(trainer.history.count == 3)
    }
}
