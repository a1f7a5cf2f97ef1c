import Perceptron
import PerceptronData
import Testing

@Suite("Training with augmentation")
struct AugmentedTrainingTests {
    static let training = AugmentationTests.strokes(count: 60)
    static let validation = AugmentationTests.strokes(count: 20)

    /// A run of `epochs` epochs (or the rest of `resuming`'s) with `augmentation`, seed 6.
    static func run(epochs: Int, _ augmentation: Augmentation?, resuming stopped: Trainer<Momentum<Float>>? = nil) -> Trainer<Momentum<Float>> {
        let options = TrainingOptions(epochs: epochs, batchSize: 20, learningRate: 0.1, momentum: 0)
        var trainer: Trainer<Momentum<Float>>
        if let stopped {
            trainer = Trainer(resuming: stopped.network, optimizer: stopped.optimizer, options: options, shuffler: SplitMix64(seed: 6),
                              history: stopped.history, best: stopped.best, bestEpoch: stopped.bestEpoch, augmentation: augmentation)
        } else {
            var generator = SplitMix64(seed: 3)
            trainer = Trainer(network: Network(sizes: [784, 8, 10], hiddenActivation: .relu, using: &generator),
                              optimizer: Momentum(learningRate: 0.1, momentum: 0), options: options, shuffler: SplitMix64(seed: 6),
                              augmentation: augmentation)
        }
        _ = trainer.train(on: training, validation: validation) { _ in }
        return trainer
    }

    @Test("the same seed gives the same run, a resumed run distorts the same way, and `none` trains as no augmentation")
    func reproducible() throws {
        let augmentation = try #require(Augmentation("rotation=20,shift=1,alpha=8,sigma=3"))
        let first = Self.run(epochs: 3, augmentation), second = Self.run(epochs: 3, augmentation)
        #expect(first.network == second.network && first.history.map(\.trainLoss) == second.history.map(\.trainLoss))
        #expect(Self.run(epochs: 3, nil).network != first.network, "the distortions changed what the network learnt")
        #expect(Self.run(epochs: 3, Augmentation.none).network == Self.run(epochs: 3, nil).network)

        let resumed = Self.run(epochs: 3, augmentation, resuming: Self.run(epochs: 1, augmentation))
        #expect(resumed.network == first.network && resumed.history.map(\.trainLoss) == first.history.map(\.trainLoss))
    }
}
