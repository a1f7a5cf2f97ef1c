/// How a batch's per-example losses become one number.
public enum LossReduction: String, Codable, CaseIterable, Sendable {
    /// `L = (1/B) Σₙ Lₙ`: the step size does not depend on the batch size.
    case mean
    /// `L = Σₙ Lₙ`: the gradient grows with the batch, so the learning rate must shrink with it.
    case sum
}

/// Softmax followed by cross-entropy, fused.
///
/// For logits `z` `[batch, classes]` and labels `tₙ`:
/// ```
/// pₙ = softmax(zₙ),   pₙⱼ = e^{zₙⱼ} / Σₖ e^{zₙₖ}
/// Lₙ = −log pₙ,tₙ = logΣₖ e^{zₙₖ} − zₙ,tₙ            (log-sum-exp: computed with m = maxₖ zₙₖ
///                                                  as m + log Σₖ e^{zₙₖ − m}, which cannot overflow)
/// δₙ = ∂Lₙ/∂zₙ = pₙ − onehot(tₙ)                    (÷ B for the mean reduction)
/// ```
/// Fusing the two is what makes the output gradient this simple: no softmax Jacobian is ever formed.
public enum SoftmaxCrossEntropy {
    /// `δ = softmax(z) − onehot(t)` (÷ batch for `.mean`) written into `delta`; returns the summed
    /// loss `Σₙ Lₙ` and the number of rows whose largest logit is the label's.
    @discardableResult
    @_specialize(where Scalar == Float)
    public static func lossAndDelta<Scalar: NetworkScalar>(
        logits: Matrix<Scalar>, labels: [UInt8], reduction: LossReduction, delta: inout Matrix<Scalar>
    ) -> (lossSum: Double, correct: Int) {
        precondition(delta.shape == logits.shape && labels.count == logits.rows,
                     "logits \(logits.shape), \(labels.count) labels and δ \(delta.shape) do not match")
        let classes = logits.columns
        precondition(labels.allSatisfy { Int($0) < classes }, "every label must be below the \(classes) classes")
        let scale: Scalar = reduction == .mean ? 1 / Scalar(logits.rows) : 1
        var lossSum = 0.0
        var correct = 0
        logits.elements.withUnsafeBufferPointer { z in
            delta.elements.withUnsafeMutableBufferPointer { d in
                for n in 0..<logits.rows {
                    let row = n * classes
                    let label = Int(labels[n])
                    let (m, argmax, sum) = exponentials(z, from: row, count: classes, into: d.baseAddress! + row)
                    lossSum += Double(m + Scalar.log(sum) - z[row + label])
                    if argmax == label { correct += 1 }
                    let inverse = scale / sum
                    for j in 0..<classes { d[row + j] *= inverse }
                    d[row + label] -= scale
                }
            }
        }
        return (lossSum, correct)
    }

    /// The summed loss `Σₙ Lₙ` and the number of correct rows, without a gradient.
    @_specialize(where Scalar == Float)
    public static func loss<Scalar: NetworkScalar>(logits: Matrix<Scalar>, labels: [UInt8]) -> (lossSum: Double, correct: Int) {
        precondition(labels.count == logits.rows, "\(labels.count) labels for \(logits.rows) rows of logits")
        let classes = logits.columns
        precondition(labels.allSatisfy { Int($0) < classes }, "every label must be below the \(classes) classes")
        var lossSum = 0.0
        var correct = 0
        var scratch = [Scalar](repeating: 0, count: classes)
        logits.elements.withUnsafeBufferPointer { z in
            scratch.withUnsafeMutableBufferPointer { e in
                for n in 0..<logits.rows {
                    let row = n * classes
                    let label = Int(labels[n])
                    let (m, argmax, sum) = exponentials(z, from: row, count: classes, into: e.baseAddress!)
                    lossSum += Double(m + Scalar.log(sum) - z[row + label])
                    if argmax == label { correct += 1 }
                }
            }
        }
        return (lossSum, correct)
    }

    /// `softmax(z)` row by row: `pₙⱼ = e^{zₙⱼ − m} / Σₖ e^{zₙₖ − m}`.
    @_specialize(where Scalar == Float)
    public static func probabilities<Scalar: NetworkScalar>(logits: Matrix<Scalar>) -> Matrix<Scalar> {
        var p = logits
        let classes = logits.columns
        logits.elements.withUnsafeBufferPointer { z in
            p.elements.withUnsafeMutableBufferPointer { out in
                for n in 0..<logits.rows {
                    let row = n * classes
                    let sum = exponentials(z, from: row, count: classes, into: out.baseAddress! + row).sum
                    for j in 0..<classes { out[row + j] /= sum }
                }
            }
        }
        return p
    }

    /// Softmax's work on one row, the `count` logits `z` from `start`: `m = maxⱼ zⱼ`, then
    /// `eⱼ = e^{zⱼ − m}` written to `e[0..<count]`. Returns `m`, the position of the maximum in the
    /// row (`argmax()`: the first, on ties) and `Σⱼ eⱼ`.
    /// (A NaN among the logits still makes the loss NaN: it reaches the sum.)
    @inlinable
    static func exponentials<Scalar: NetworkScalar>(
        _ z: UnsafeBufferPointer<Scalar>, from start: Int, count: Int, into e: UnsafeMutablePointer<Scalar>
    ) -> (max: Scalar, argmax: Int, sum: Scalar) {
        let logits = UnsafeBufferPointer(rebasing: z[start ..< start + count])
        let argmax = logits.argmax()!
        let m = logits[argmax]
        var sum: Scalar = 0
        for j in 0..<count {
            e[j] = Scalar.exp(logits[j] - m)
            sum += e[j]
        }
        return (m, argmax, sum)
    }
}
