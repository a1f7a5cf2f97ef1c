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
                    let (m, argmax) = maximum(z, from: row, count: classes)
                    var sum: Scalar = 0
                    for j in 0..<classes {
                        let e = Scalar.exp(z[row + j] - m)
                        d[row + j] = e
                        sum += e
                    }
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
        logits.elements.withUnsafeBufferPointer { z in
            for n in 0..<logits.rows {
                let row = n * classes
                let label = Int(labels[n])
                let (m, argmax) = maximum(z, from: row, count: classes)
                var sum: Scalar = 0
                for j in 0..<classes { sum += Scalar.exp(z[row + j] - m) }
                lossSum += Double(m + Scalar.log(sum) - z[row + label])
                if argmax == label { correct += 1 }
            }
        }
        return (lossSum, correct)
    }

    /// `softmax(z)` row by row.
    @_specialize(where Scalar == Float)
    public static func probabilities<Scalar: NetworkScalar>(logits: Matrix<Scalar>) -> Matrix<Scalar> {
        var p = logits
        let classes = logits.columns
        for n in 0..<logits.rows {
            let row = n * classes
            let (m, _) = logits.elements.withUnsafeBufferPointer { maximum($0, from: row, count: classes) }
            var sum: Scalar = 0
            for j in 0..<classes {
                p.elements[row + j] = Scalar.exp(logits.elements[row + j] - m)
                sum += p.elements[row + j]
            }
            for j in 0..<classes { p.elements[row + j] /= sum }
        }
        return p
    }

    /// The largest of `count` values from `start`, and its offset (the first, on ties).
    /// (A NaN among them still makes the loss NaN: it reaches the sum of exponentials.)
    @inlinable
    static func maximum<Scalar: NetworkScalar>(_ z: UnsafeBufferPointer<Scalar>, from start: Int, count: Int) -> (Scalar, Int) {
        var m = z[start]
        var index = 0
        for j in 1..<count where z[start + j] > m {
            m = z[start + j]
            index = j
        }
        return (m, index)
    }
}
