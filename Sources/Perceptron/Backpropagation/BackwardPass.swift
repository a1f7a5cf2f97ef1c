extension Network {
    /// Backpropagation: the forward pass, the loss, then every layer's gradient from the top down,
    /// written where `accumulation` says (``GradientAccumulation``: `G ← α·∇ + β·G`).
    ///
    /// ```
    /// δ̂_{L−1} = α·(softmax(a_{L−1}) − t)              (÷ B for the mean reduction)
    /// δ̂ₗ₋₁ = (δ̂ₗ·Wₗ) ⊙ mₗ ⊙ f′ₗ₋₁(aₗ₋₁)              for l > 0: the input layer needs no δ
    /// Gₗ ← δ̂ₗᵀ·x̃ₗ + β·Gₗ,   G_bₗ ← 1ᵀ·δ̂ₗ + β·G_bₗ      since α∇Wₗ = δ̂ₗᵀ·x̃ₗ and α∇bₗ = Σₙ δ̂ₗₙ
    /// ```
    /// `δ̂ = αδ`: the pass is linear in δ, so the scale α is applied once, at the top, and carried
    /// down; each weight and bias gradient is then one product, whose accumulation is β. With
    /// ``GradientAccumulation/overwrite`` (α = 1, β = 0) it writes the gradient itself; classic
    /// momentum asks for `(−η, μ)` and so gets its velocity `v ← μv − η∇W` from the same product.
    /// `mₗ` is layer `l`'s dropout mask (scaled by 1/(1−p)), where it has one. Every δ̂ below layer
    /// `l` is computed with `Wₗ` as it is: the optimiser updates after the pass.
    /// Returns the batch's summed loss and correct count.
    @discardableResult
    @_specialize(where Scalar == Float)
    public func backpropagate(_ workspace: inout Workspace<Scalar>, reduction: LossReduction,
                              into gradients: inout [DenseGradient<Scalar>],
                              accumulating accumulation: GradientAccumulation<Scalar> = .overwrite) -> (lossSum: Double, correct: Int) {
        precondition(gradients.count == layers.count, "\(gradients.count) gradients for \(layers.count) layers")
        forward(&workspace)
        let top = layers.count - 1
        let result = SoftmaxCrossEntropy.lossAndDelta(
            logits: workspace.outputs[top], labels: workspace.labels, reduction: reduction, delta: &workspace.deltas[top])
        workspace.scaleTopDelta(by: accumulation.scale)
        let β = accumulation.decay
        for l in stride(from: top, through: 0, by: -1) {
            if l > 0 {
                workspace.multiplyDelta(ofLayer: l, by: layers[l])
                workspace.multiplyDeltaByMaskAndDerivative(below: l, activation: layers[l - 1].activation)
            }
            workspace.multiplyDeltaTransposed(ofLayer: l, byInputInto: &gradients[l].weight, beta: β)
            workspace.sumDelta(l, into: &gradients[l].bias, beta: β)
        }
        return result
    }

    /// Loads the examples at `indices` into `workspace` and backpropagates through them.
    @discardableResult
    public func backpropagate(_ workspace: inout Workspace<Scalar>, loading data: LabeledImages, indices: ArraySlice<Int>,
                              reduction: LossReduction, into gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        workspace.load(data, indices: indices)
        return backpropagate(&workspace, reduction: reduction, into: &gradients)
    }

    /// A zero gradient for every layer.
    public func zeroGradients() -> [DenseGradient<Scalar>] {
        layers.map(DenseGradient.init(zeroLike:))
    }
}

extension Workspace {
    /// `δ̂_{L−1} = α·δ_{L−1}`, the top layer's δ as the loss wrote it, scaled: in place in fp32 (when
    /// `α ≠ 1`); in bf16, rounded into `roundedDeltas[L−1]`.
    mutating func scaleTopDelta(by α: Scalar) {
        let top = deltas.count - 1
        switch precision {
        case .fp32: if α != 1 { deltas[top].scale(by: α) }
        case .bf16: roundedDeltas[top].round(deltas[top], scaledBy: α)
        }
    }

    /// `δ̂ₗ₋₁ ← δ̂ₗ·Wₗ`: `[B, out]·[out, in] → [B, in]`, before the mask and the derivative; into
    /// `deltas[l − 1]`, or in bf16 into `roundedDeltas[l − 1]` where ``writesRounded(_:)``. In bf16
    /// it reads the weights the forward pass read: `layer` must be the same.
    mutating func multiplyDelta(ofLayer l: Int, by layer: Dense<Scalar>) {
        let weight = layer.weight
        let rounded = writesRounded(l - 1)
        let product = Product(m: batchSize, n: weight.columns, k: weight.rows, precision: precision, bf16Result: rounded)
        if rounded {
            var result = roundedDeltas[l - 1]
            roundedDeltas[l - 1] = BFloat16Matrix(rows: 0, columns: 0)  // `result` alone holds the buffer
            withDeltaAndWeight(ofLayer: l, layer) { d, w in Self.run(product, d, w, nil, &result) }
            roundedDeltas[l - 1] = result
        } else {
            var result = deltas[l - 1]
            deltas[l - 1] = Matrix(rows: 0, columns: 0)
            withDeltaAndWeight(ofLayer: l, layer) { d, w in Self.run(product, d, w, nil, &result) }
            deltas[l - 1] = result
        }
    }

    /// `δ̂ₗ` and `Wₗ` as layer `l`'s input gradient reads them: float32, or in bf16 their roundings
    /// (the weights' as the forward pass read them).
    func withDeltaAndWeight<R>(ofLayer l: Int, _ layer: Dense<Scalar>, _ body: (UnsafeRawPointer, UnsafeRawPointer) -> R) -> R {
        switch precision {
        case .fp32:
            deltas[l].elements.withUnsafeBytes { d in layer.weight.elements.withUnsafeBytes { w in body(d.baseAddress!, w.baseAddress!) } }
        case .bf16:
            roundedDeltas[l].bits.withUnsafeBytes { d in
                (layer.roundedWeight ?? roundedWeights[l]).bits.withUnsafeBytes { w in body(d.baseAddress!, w.baseAddress!) }
            }
        }
    }

    /// `δ̂ₗ₋₁ ← δ̂ₗ₋₁ ⊙ mₗ ⊙ f′ₗ₋₁(aₗ₋₁)`: dropout's mask of layer `l`'s input, where it has one, and
    /// the derivative of the activation below, from its outputs — in bf16, of `bf16(aₗ₋₁)` on
    /// `bf16(δ̂ₗ₋₁)` where ``writesRounded(_:)``, else in float32 and then rounded.
    mutating func multiplyDeltaByMaskAndDerivative(below l: Int, activation: Activation) {
        if writesRounded(l - 1) {
            let count = roundedDeltas[l - 1].bits.count
            roundedInputs[l].bits.withUnsafeBufferPointer { a in
                roundedDeltas[l - 1].bits.withUnsafeMutableBufferPointer { d in
                    Scalar.multiplyByDerivative(of: activation, bfloat16: d.baseAddress!, outputs: a.baseAddress!, count: count)
                }
            }
            return
        }
        if let mask = mask(l) { deltas[l - 1].multiplyElementwise(by: mask) }
        let count = deltas[l - 1].elements.count
        outputs[l - 1].elements.withUnsafeBufferPointer { a in
            deltas[l - 1].elements.withUnsafeMutableBufferPointer { d in
                Scalar.multiplyByDerivative(of: activation, d.baseAddress!, outputs: a.baseAddress!, count: count)
            }
        }
        if precision == .bf16 { roundedDeltas[l - 1].round(deltas[l - 1]) }
    }

    /// `C ← δ̂ₗᵀ·x̃ₗ + β·C`: `[out, B]·[B, in] → [out, in]`, layer `l`'s weight gradient in the scale
    /// α the pass carries, added to β·C.
    func multiplyDeltaTransposed(ofLayer l: Int, byInputInto c: inout Matrix<Scalar>, beta: Scalar) {
        let product = Product(m: c.rows, n: c.columns, k: batchSize, transposeA: true, precision: precision, beta: Double(beta))
        switch precision {
        case .fp32:
            deltas[l].elements.withUnsafeBytes { d in
                layerInput(l).elements.withUnsafeBytes { x in Self.run(product, d.baseAddress!, x.baseAddress!, nil, &c) }
            }
        case .bf16:
            roundedDeltas[l].bits.withUnsafeBytes { d in
                roundedInputs[l].bits.withUnsafeBytes { x in Self.run(product, d.baseAddress!, x.baseAddress!, nil, &c) }
            }
        }
    }

    /// `G_b ← 1ᵀ·δ̂ₗ + β·G_b`: `[1, B]·[B, out] → [1, out]`, layer `l`'s bias gradient (in the scale
    /// α the pass carries): the sum over the batch `Σₙ δ̂ₗₙ` as a product with a row of ones, from
    /// the δ̂ the weight gradient read, with the same accumulation β.
    func sumDelta(_ l: Int, into g: inout Matrix<Scalar>, beta: Scalar) {
        let product = Product(m: 1, n: g.columns, k: batchSize, precision: precision, beta: Double(beta))
        switch precision {
        case .fp32:
            ones.elements.withUnsafeBytes { o in
                deltas[l].elements.withUnsafeBytes { d in Self.run(product, o.baseAddress!, d.baseAddress!, nil, &g) }
            }
        case .bf16:
            roundedOnes.bits.withUnsafeBytes { o in
                roundedDeltas[l].bits.withUnsafeBytes { d in Self.run(product, o.baseAddress!, d.baseAddress!, nil, &g) }
            }
        }
    }
}
