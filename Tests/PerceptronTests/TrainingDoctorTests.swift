import Perceptron
import Testing

@Suite("Training doctor: overfitting")
struct TrainingDoctorTests {
    /// Feeds the doctor one epoch per (train loss, validation loss) pair and returns the codes it reported.
    static func codes(_ losses: [(train: Double, val: Double)]) -> [String] {
        var generator = SplitMix64(seed: 3)
        let network = Network<Float>(sizes: [16, 12, 3], hiddenActivation: .relu, using: &generator)
        var doctor = TrainingDoctor(validation: quadrantImages(count: 60, seed: 2), classes: 3, learningRate: 0.05)
        var history: [EpochRecord] = []
        for (epoch, loss) in losses.enumerated() {
            history.append(EpochRecord(epoch: epoch, trainLoss: loss.train, valLoss: loss.val, valAccuracy: 0.9, trainSeconds: 1, evalSeconds: 0))
            _ = doctor.examine(network, history: history, updateRatios: nil)
        }
        return doctor.diagnoses.map(\.code)
    }

    @Test("validation loss rising while the training loss falls below it is overfitting")
    func memorising() {
        let losses = [(1.1, 1.1), (0.3, 0.30), (0.2, 0.25), (0.1, 0.28), (0.05, 0.30), (0.03, 0.33)]
        #expect(Self.codes(losses).contains("overfitting"))
    }

    @Test("with augmentation the training loss (on distorted images) stays above the validation loss: a wobble is not overfitting")
    func augmentedWobble() {
        let losses = [(1.1, 1.1), (0.3, 0.020), (0.2, 0.016), (0.15, 0.019), (0.12, 0.021), (0.10, 0.024)]
        #expect(!Self.codes(losses).contains("overfitting"))
    }
}
