import Foundation
import Perceptron
import Testing

@Suite("Softmax cross-entropy")
struct SoftmaxCrossEntropyTests {
    @Test("softmax rows sum to one, are positive and keep the logits' order")
    func probabilitiesSumToOne() {
        let logits = randomMatrix(5, 7, seed: 21, in: -6...6, as: Double.self)
        let p = SoftmaxCrossEntropy.probabilities(logits: logits)
        #expect(p.shape == logits.shape)
        for n in 0..<p.rows {
            let row = (0..<p.columns).map { p[n, $0] }
            #expect(isClose(row.reduce(0, +), 1, relative: 1e-14))
            #expect(row.allSatisfy { $0 > 0 })
            for i in 0..<p.columns { for j in 0..<p.columns where logits[n, i] < logits[n, j] { #expect(row[i] < row[j]) } }
        }
        let pf = SoftmaxCrossEntropy.probabilities(logits: logits.converted(to: Float.self))
        for n in 0..<pf.rows { #expect(isClose((0..<pf.columns).map { Double(pf[n, $0]) }.reduce(0, +), 1, relative: 1e-6)) }
    }

    @Test("softmax by hand: [0, ln 2, ln 5] gives [1/8, 2/8, 5/8]")
    func probabilitiesByHand() {
        let p = SoftmaxCrossEntropy.probabilities(logits: Matrix<Double>([[0, log(2), log(5)]]))
        #expect(isClose(p, Matrix([[0.125, 0.25, 0.625]]), relative: 1e-14))
    }

    @Test("softmax does not change when a constant is added to a row")
    func shiftInvariance() {
        let logits = Matrix<Double>([[1, -2, 0.5]])
        let shifted = Matrix<Double>([[1001, 998, 1000.5]])
        #expect(isClose(SoftmaxCrossEntropy.probabilities(logits: logits), SoftmaxCrossEntropy.probabilities(logits: shifted),
                        relative: 1e-12, absolute: 1e-15))
    }

    @Test("logits of ±1e4 give finite losses and probabilities (log-sum-exp)")
    func extremeLogitsStayFinite() {
        func check<S: NetworkScalar>(_: S.Type) {
            let logits = Matrix<S>([[10_000, -10_000], [10_000, -10_000], [-10_000, -10_000]])
            let labels: [UInt8] = [0, 1, 1]
            let (lossSum, _) = SoftmaxCrossEntropy.loss(logits: logits, labels: labels)
            // Row 0: −log 1 = 0. Row 1: −log e^{−2·10⁴} = 2·10⁴. Row 2: two equal logits, −log ½.
            #expect(lossSum.isFinite)
            #expect(isClose(lossSum, 20_000 + log(2), relative: 1e-6))
            var delta = Matrix<S>(rows: 3, columns: 2)
            let fused = SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: labels, reduction: .sum, delta: &delta)
            #expect(isClose(fused.lossSum, lossSum, relative: 1e-12))
            #expect(delta.elements.allSatisfy { $0.isFinite })
            // e^{−2·10⁴} is 0, or (with a fast Float eˣ) below 10⁻³⁷.
            #expect(isClose(delta, Matrix([[0, 0], [1, -1], [0.5, -0.5]]), relative: 0, absolute: 1e-37))
            let p = SoftmaxCrossEntropy.probabilities(logits: logits)
            #expect(isClose(p, Matrix([[1, 0], [1, 0], [0.5, 0.5]]), relative: 0, absolute: 1e-37))
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("the loss is −log p_label, by hand")
    func lossByHand() {
        // Row 0: logits [1, 2, 3], label 0: p₀ = e / (e + e² + e³).
        // Row 1: logits [2, 0, −1], label 2: p₂ = e⁻¹ / (e² + 1 + e⁻¹).
        let logits = Matrix<Double>([[1, 2, 3], [2, 0, -1]])
        let p0 = exp(1.0) / (exp(1.0) + exp(2.0) + exp(3.0))
        let p1 = exp(-1.0) / (exp(2.0) + 1 + exp(-1.0))
        let (lossSum, correct) = SoftmaxCrossEntropy.loss(logits: logits, labels: [0, 2])
        #expect(isClose(lossSum, -log(p0) - log(p1), relative: 1e-14))
        #expect(correct == 0)
        #expect(SoftmaxCrossEntropy.loss(logits: logits, labels: [2, 0]).correct == 2)
        // About 2.4076 + 3.1698: a wrong formula (say, no log) would be far off.
        #expect(isClose(lossSum, 5.5774, relative: 1e-4))
    }

    @Test("δ = p − onehot, divided by the batch for .mean and not for .sum", arguments: LossReduction.allCases)
    func deltaIsProbabilitiesMinusOneHot(reduction: LossReduction) {
        let logits = randomMatrix(4, 3, seed: 31, in: -3...3, as: Double.self)
        let labels: [UInt8] = [2, 0, 1, 1]
        var delta = Matrix<Double>(rows: 4, columns: 3, repeating: .nan)  // every element must be written
        SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: labels, reduction: reduction, delta: &delta)
        let p = SoftmaxCrossEntropy.probabilities(logits: logits)
        let scale = reduction == .mean ? 1.0 / 4 : 1
        for n in 0..<4 {
            for j in 0..<3 {
                let expected = (p[n, j] - (j == Int(labels[n]) ? 1 : 0)) * scale
                #expect(isClose(delta[n, j], expected, relative: 1e-12, absolute: 1e-15), "δ[\(n), \(j)]")
            }
            // Each row of p − onehot sums to zero.
            #expect(abs((0..<3).map { delta[n, $0] }.reduce(0, +)) < 1e-14)
        }
    }

    @Test("the fused loss equals loss(), whatever the reduction", arguments: LossReduction.allCases)
    func fusedLossEqualsPlainLoss(reduction: LossReduction) {
        let logits = randomMatrix(6, 4, seed: 41, in: -5...5, as: Float.self)
        let labels = randomLabels(6, classes: 4, seed: 42)
        var delta = Matrix<Float>(rows: 6, columns: 4)
        let fused = SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: labels, reduction: reduction, delta: &delta)
        let plain = SoftmaxCrossEntropy.loss(logits: logits, labels: labels)
        #expect(fused.lossSum == plain.lossSum)
        #expect(fused.correct == plain.correct)
    }

    @Test("the correct count is the number of rows whose largest logit is the label's (the first, on ties)")
    func correctCount() {
        let logits = Matrix<Float>([
            [3, 1, 2],   // argmax 0
            [0, 5, 1],   // argmax 1
            [1, 1, 0],   // tie between 0 and 1: 0
            [-1, -2, -0.5],  // argmax 2
        ])
        var delta = Matrix<Float>(rows: 4, columns: 3)
        #expect(SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: [0, 1, 0, 2], reduction: .mean, delta: &delta).correct == 4)
        #expect(SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: [0, 1, 1, 2], reduction: .mean, delta: &delta).correct == 3)
        #expect(SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: [1, 2, 2, 0], reduction: .sum, delta: &delta).correct == 0)
        #expect(SoftmaxCrossEntropy.loss(logits: logits, labels: [0, 0, 0, 2]).correct == 3)
    }

    @Test("δ equals the finite-difference gradient of the loss with respect to the logits", arguments: LossReduction.allCases)
    func deltaMatchesFiniteDifferences(reduction: LossReduction) {
        let logits = randomMatrix(3, 5, seed: 51, in: -4...4, as: Double.self)
        let labels: [UInt8] = [4, 0, 2]
        var delta = Matrix<Double>(rows: 3, columns: 5)
        SoftmaxCrossEntropy.lossAndDelta(logits: logits, labels: labels, reduction: reduction, delta: &delta)
        func loss(_ z: Matrix<Double>) -> Double {
            let sum = SoftmaxCrossEntropy.loss(logits: z, labels: labels).lossSum
            return reduction == .mean ? sum / 3 : sum
        }
        for n in 0..<3 {
            for j in 0..<5 {
                let numeric = numericDerivative(at: logits[n, j]) { value in
                    var z = logits
                    z[n, j] = value
                    return loss(z)
                }
                #expect(relativeError(delta[n, j], numeric) < 1e-7, "∂L/∂z[\(n), \(j)]: \(delta[n, j]) vs \(numeric)")
            }
        }
    }
}
