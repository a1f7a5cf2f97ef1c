import Perceptron
import Testing

@Suite("Momentum warm-up")
struct MomentumWarmupTests {
    @Test("μ rises linearly from 0.5 to μ over K epochs, then stays")
    func linearRise() {
        let warmup = MomentumWarmup(momentum: 0.9, epochs: 4)
        #expect(isClose(warmup.momentum(at: 0), 0.5))
        #expect(isClose(warmup.momentum(at: 1), 0.6))
        #expect(isClose(warmup.momentum(at: 2), 0.7))
        #expect(isClose(warmup.momentum(at: 4), 0.9))
        #expect(isClose(warmup.momentum(at: 40), 0.9))
    }

    @Test("a momentum below 0.5 starts from itself; K = 0 is no warm-up")
    func edges() {
        #expect(MomentumWarmup(momentum: 0.3, epochs: 5).momentum(at: 0) == 0.3)
        #expect(MomentumWarmup(momentum: 0.9, epochs: 0).momentum(at: 0) == 0.9)
    }

    @Test("the trainer warms the momentum up: early steps of a warmed-up run move less than without")
    func trainerUsesIt() {
        func firstEpochLoss(warmup: Double) -> Double {
            var options = TrainingOptions(epochs: 1, batchSize: 30, learningRate: 0.5, momentum: 0.9)
            options.momentumWarmup = warmup
            var generator = SplitMix64(seed: 3)
            let network = Network<Float>(sizes: [16, 8, 3], hiddenActivation: .sigmoid, using: &generator)
            var trainer = Trainer(network: network, optimizer: Momentum<Float>(learningRate: 0.5, momentum: 0.9),
                                  options: options, shuffler: SplitMix64(seed: 4))
            _ = trainer.train(on: quadrantImages(count: 240, seed: 1), validation: quadrantImages(count: 90, seed: 2)) { _ in }
            #expect(trainer.optimizer.momentum == Float(MomentumWarmup(momentum: 0.9, epochs: warmup).momentum(at: 1)))
            return trainer.history[1].trainLoss
        }
        #expect(firstEpochLoss(warmup: 10) != firstEpochLoss(warmup: 0))
    }
}
