import Foundation
import Perceptron
import Testing

@Suite("Adam and AdamW")
struct AdamTests {
    /// The same one-layer network and gradient as the momentum tests: W = [1, −2], b = [0.5];
    /// ∇W = [0.1, 0.2], ∇b = [0.3].
    static func parameters(after steps: Int, _ optimizer: Adam<Double>) -> [Double] {
        var optimizer = optimizer
        var network = MomentumTests.start
        for _ in 0..<steps { optimizer.update(&network, gradients: MomentumTests.gradient) }
        return flatParameters(network)
    }

    @Test("the first Adam step moves every parameter by η against its gradient's sign (bias correction makes m̂/√v̂ = ±1)")
    func firstStep() {
        // m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g²: the step is η·g/(|g| + ε) ≈ η·sign(g).
        let η = 0.01, ε = 1e-8
        let expected = [1 - η * 0.1 / (0.1 + ε), -2 - η * 0.2 / (0.2 + ε), 0.5 - η * 0.3 / (0.3 + ε)]
        MomentumTests.expectParameters(Self.parameters(after: 1, Adam(learningRate: η)), expected)
    }

    @Test("two Adam steps by hand: with a constant gradient m̂ = g and v̂ = g² at every step")
    func twoSteps() {
        let η = 0.01, ε = 1e-8
        func step(_ g: Double) -> Double { η * g / (abs(g) + ε) }
        let expected = [1 - 2 * step(0.1), -2 - 2 * step(0.2), 0.5 - 2 * step(0.3)]
        MomentumTests.expectParameters(Self.parameters(after: 2, Adam(learningRate: η)), expected)
    }

    @Test("Adam's L2 adds λθ to the weights' gradient, not to the biases'")
    func l2() {
        let η = 0.01, λ = 0.5, ε = 1e-8
        // ∇W + λW = [0.1 + 0.5, 0.2 − 1.0] = [0.6, −0.8]; the bias gradient stays 0.3.
        let expected = [1 - η * 0.6 / (0.6 + ε), -2 + η * 0.8 / (0.8 + ε), 0.5 - η * 0.3 / (0.3 + ε)]
        MomentumTests.expectParameters(Self.parameters(after: 1, Adam(learningRate: η, weightDecay: λ)), expected)
    }

    @Test("AdamW decays the weights apart from the gradient: θ ← θ − η(m̂/(√v̂+ε) + λθ)")
    func decoupled() {
        let η = 0.01, λ = 0.5, ε = 1e-8
        let expected = [1 - η * (0.1 / (0.1 + ε) + λ * 1), -2 - η * (0.2 / (0.2 + ε) + λ * -2), 0.5 - η * 0.3 / (0.3 + ε)]
        MomentumTests.expectParameters(Self.parameters(after: 1, Adam(learningRate: η, weightDecay: λ, decoupled: true)), expected)
    }

    @Test("the state round-trips, so a resumed Adam takes the same next step")
    func stateRoundTrip() throws {
        var a = Adam<Double>(learningRate: 0.01)
        var network = MomentumTests.start
        a.update(&network, gradients: MomentumTests.gradient)
        var b = Adam<Double>(learningRate: 0.01)
        try b.restore(a.state, for: network)
        var n1 = network, n2 = network
        a.update(&n1, gradients: MomentumTests.gradient)
        b.update(&n2, gradients: MomentumTests.gradient)
        #expect(n1 == n2)
        #expect(b.step == 2)
        #expect(throws: OptimizerStateError.self) { try b.restore(["adam.step": Matrix([[1]])], for: network) }
    }
}

@Suite("Learning-rate schedules")
struct LearningRateScheduleTests {
    @Test("each schedule's rate at a few points, by hand")
    func rates() {
        #expect(LearningRateSchedule.constant.rate(0.1, at: 7.5, epochs: 10) == 0.1)
        #expect(abs(LearningRateSchedule.step(every: 3, factor: 0.5).rate(0.1, at: 6.2, epochs: 10) - 0.025) < 1e-15)
        #expect(abs(LearningRateSchedule.exponential(factor: 0.9).rate(0.1, at: 2, epochs: 10) - 0.081) < 1e-15)
        #expect(abs(LearningRateSchedule.cosine.rate(0.1, at: 5, epochs: 10) - 0.05) < 1e-15)
        #expect(abs(LearningRateSchedule.cosine.rate(0.1, at: 10, epochs: 10)) < 1e-15)
    }

    @Test("a warm-up scales the rate by t/W until W")
    func warmup() {
        #expect(abs(LearningRateSchedule.constant.rate(0.1, at: 0.5, epochs: 10, warmup: 2) - 0.025) < 1e-15)
        #expect(LearningRateSchedule.constant.rate(0.1, at: 2, epochs: 10, warmup: 2) == 0.1)
    }

    @Test("schedules parse from and print to their command-line text; malformed texts are refused")
    func parsing() {
        for text in ["constant", "cosine", "step:3,0.5", "exponential:0.9"] {
            #expect(LearningRateSchedule(text)?.description == text)
        }
        for text in ["", "step:3", "step:0,0.5", "step:3,x", "exponential:", "cosine:1", "linear"] {
            #expect(LearningRateSchedule(text) == nil, "\(text)")
        }
    }
}
