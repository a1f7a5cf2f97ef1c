/// The three matrix products of a layer's forward and backward passes, in the workspace's precision.
///
/// ```
/// forward           zˡ = x̃ˡ·Wˡᵀ                [B, in]·[in, out]  → outputs[l]
/// weight gradient   C ← δˡᵀ·x̃ˡ + β·C           [out, B]·[B, in]   → ∇Wˡ (β = 0), or a velocity (β = μ)
/// input gradient    δˡ⁻¹ ← δˡ·Wˡ                [B, out]·[out, in] → deltas[l − 1]
/// ```
/// In ``Precision/fp32`` they read the matrices themselves. In ``Precision/bf16`` they read bfloat16
/// roundings of them: `x̃ˡ` and `Wˡ` are rounded by the forward product, `δˡ` by ``roundDelta(_:)``
/// once it is final; the products are still accumulated and written in float32.
///
/// In fp32 the first layer's products skip the input columns that are zero in the whole batch
/// (``inputColumns``, about a tenth of MNIST's: `perceptron bench --arch B` 5–7 % faster): the
/// forward product's terms, and the weight gradient's columns (zero there: a velocity's columns only
/// decay, `v ← μv`). Not in bf16: with strides wider than the window, oneDNN 2.6 leaves its AMX kernel
/// for a slower one, and the weight gradient then takes longer than the whole product (measured).
extension Workspace {
    /// The columns of layer `l`'s input that can be nonzero: ``inputColumns`` for the first layer
    /// (dropout only zeroes more), every column above.
    func nonzeroColumns(ofInputTo l: Int) -> Range<Int>? { l == 0 ? inputColumns : nil }

    /// `zˡ = x̃ˡ·Wᵀ` into `outputs[l]` (before the bias and the activation).
    mutating func multiplyInput(ofLayer l: Int, byTransposed weight: Matrix<Scalar>) {
        let input = layerInput(l)
        switch precision {
        case .fp32:
            Matrix.multiply(input, weight, transposeB: true, into: &outputs[l], terms: nonzeroColumns(ofInputTo: l))
        case .bf16:
            roundedInputs[l].round(input)
            roundedWeights[l].round(weight)
            Matrix.multiply(roundedInputs[l], roundedWeights[l], transposeB: true, into: &outputs[l])
        }
    }

    /// `C ← δˡᵀ·x̃ˡ + β·C`: layer `l`'s weight gradient (`β = 0`), or, with `δ` a step and `β = μ`,
    /// a velocity (see ``Momentum``).
    func multiplyDeltaTransposed(ofLayer l: Int, byInputInto c: inout Matrix<Scalar>, beta: Scalar = 0) {
        switch precision {
        case .fp32:
            Matrix.multiply(deltas[l], layerInput(l), transposeA: true, into: &c, beta: beta, columns: nonzeroColumns(ofInputTo: l))
        case .bf16: Matrix.multiply(roundedDeltas[l], roundedInputs[l], transposeA: true, into: &c, beta: beta)
        }
    }

    /// `δˡ⁻¹ ← δˡ·Wˡ` into `deltas[l − 1]` (before the dropout mask and the activation's derivative).
    /// In bf16 it reads the weights the forward product rounded: `weight` must be the same.
    mutating func multiplyDelta(ofLayer l: Int, by weight: Matrix<Scalar>) {
        switch precision {
        case .fp32: Matrix.multiply(deltas[l], weight, into: &deltas[l - 1])
        case .bf16: Matrix.multiply(roundedDeltas[l], roundedWeights[l], into: &deltas[l - 1])
        }
    }

    /// Rounds `δˡ` for the two backward products, once it is final (bf16; nothing in fp32).
    mutating func roundDelta(_ l: Int) {
        if precision == .bf16 { roundedDeltas[l].round(deltas[l]) }
    }
}
