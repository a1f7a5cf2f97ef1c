extension Network {
    /// Backpropagation: the forward pass, the loss, then every layer's gradient from the top down,
    /// written where `accumulation` says (``GradientAccumulation``: `G ← α·∇ + β·G`).
    ///
    /// ```
    /// δ_{L−1} = softmax(a_{L−1}) − t                 (÷ B for the mean reduction)
    /// δₗ₋₁ = (δₗ·Wₗ) ⊙ mₗ ⊙ f′ₗ₋₁(aₗ₋₁)              for l > 0: the input layer needs no δ
    /// Gₗ ← α·δₗᵀ·x̃ₗ + β·Gₗ,   G_bₗ ← α·Σₙ δₗₙ + β·G_bₗ   ∇Wₗ = δₗᵀ·x̃ₗ, ∇bₗ = Σₙ δₗₙ
    /// ```
    /// `mₗ` is layer `l`'s dropout mask (scaled by 1/(1−p)), where it has one. The weight gradient is
    /// one product: α scales its δ operand (the pass that rounds δ writes `αδ` too) and β is the
    /// product's accumulation. With ``GradientAccumulation/overwrite`` it writes the gradient itself;
    /// classic momentum asks for `(−η, μ)` and so gets its velocity `v ← μv − η∇W` from the same product.
    /// Every δ below layer `l` is computed with `Wₗ` as it is: the optimiser updates after the pass.
    /// Returns the batch's summed loss and correct count.
    @discardableResult
    public func backpropagate(_ workspace: inout Workspace<Scalar>, reduction: LossReduction,
                              into gradients: inout [DenseGradient<Scalar>],
                              accumulating accumulation: GradientAccumulation<Scalar> = .overwrite) -> (lossSum: Double, correct: Int) {
        precondition(gradients.count == layers.count, "\(gradients.count) gradients for \(layers.count) layers")
        forward(&workspace)
        let top = layers.count - 1
        let result = SoftmaxCrossEntropy.lossAndDelta(
            logits: workspace.outputs[top], labels: workspace.labels, reduction: reduction, delta: &workspace.deltas[top])
        let (α, β) = (accumulation.scale, accumulation.decay)
        for l in stride(from: top, through: 0, by: -1) {
            workspace.finishDelta(l, scale: α)
            if l > 0 {
                workspace.multiplyDelta(ofLayer: l, by: layers[l])
                workspace.multiplyDeltaByMaskAndDerivative(below: l, activation: layers[l - 1].activation)
            }
            workspace.multiplyDeltaTransposed(ofLayer: l, byInputInto: &gradients[l].weight, beta: β, scaled: α != 1)
            Matrix.sumRows(of: workspace.deltas[l], into: &gradients[l].bias, alpha: α, beta: β)
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
    /// Once `δₗ` is final: in bf16, `bf16(δₗ)` for the input gradient (above the first layer) and
    /// `bf16(αδₗ)` for the weight gradient, in one pass; in fp32, `αδₗ` when `α ≠ 1`.
    mutating func finishDelta(_ l: Int, scale α: Scalar) {
        switch precision {
        case .fp32:
            guard α != 1 else { return }
            if scaledDeltas.isEmpty { scaledDeltas = deltas }
            deltas[l].scaled(by: α, into: &scaledDeltas[l])
        case .bf16:
            if l > 0 {
                BFloat16Matrix.round(deltas[l], into: &roundedDeltas[l], andScaledBy: α, into: &stepDeltas[l])
            } else {
                stepDeltas[l].round(deltas[l], scaledBy: α)
            }
        }
    }

    /// `δₗ₋₁ ← δₗ·Wₗ` into `deltas[l − 1]`: `[B, out]·[out, in] → [B, in]`, before the mask and the
    /// derivative. In bf16 it reads the weights the forward pass read: `layer` must be the same.
    mutating func multiplyDelta(ofLayer l: Int, by layer: Dense<Scalar>) {
        let weight = layer.weight
        let product = Product(m: batchSize, n: weight.columns, k: weight.rows, precision: precision)
        var result = deltas[l - 1]
        deltas[l - 1] = Matrix(rows: 0, columns: 0)
        switch precision {
        case .fp32:
            deltas[l].elements.withUnsafeBytes { d in
                weight.elements.withUnsafeBytes { w in Self.run(product, d.baseAddress!, w.baseAddress!, nil, &result) }
            }
        case .bf16:
            roundedDeltas[l].bits.withUnsafeBytes { d in
                (layer.roundedWeight ?? roundedWeights[l]).bits.withUnsafeBytes { w in
                    Self.run(product, d.baseAddress!, w.baseAddress!, nil, &result)
                }
            }
        }
        deltas[l - 1] = result
    }

    /// `δₗ₋₁ ← δₗ₋₁ ⊙ mₗ ⊙ f′ₗ₋₁(aₗ₋₁)`: dropout's mask of layer `l`'s input, where it has one, and
    /// the derivative of the activation below, from its outputs.
    mutating func multiplyDeltaByMaskAndDerivative(below l: Int, activation: Activation) {
        if let mask = mask(l) { deltas[l - 1].multiplyElementwise(by: mask) }
        let count = deltas[l - 1].elements.count
        outputs[l - 1].elements.withUnsafeBufferPointer { a in
            deltas[l - 1].elements.withUnsafeMutableBufferPointer { d in
                Scalar.multiplyByDerivative(of: activation, d.baseAddress!, outputs: a.baseAddress!, count: count)
            }
        }
    }

    /// `C ← (αδₗ)ᵀ·x̃ₗ + β·C`: `[out, B]·[B, in] → [out, in]`, layer `l`'s weight gradient scaled by α
    /// (`scaled`: α ≠ 1, read from the scaled δ ``finishDelta(_:scale:)`` wrote) and added to β·C.
    func multiplyDeltaTransposed(ofLayer l: Int, byInputInto c: inout Matrix<Scalar>, beta: Scalar, scaled: Bool) {
        let x = layerInput(l)
        let product = Product(m: c.rows, n: c.columns, k: batchSize, transposeA: true, precision: precision, beta: Double(beta))
        switch precision {
        case .fp32:
            (scaled ? scaledDeltas[l] : deltas[l]).elements.withUnsafeBytes { d in
                x.elements.withUnsafeBytes { x in Self.run(product, d.baseAddress!, x.baseAddress!, nil, &c) }
            }
        case .bf16:
            stepDeltas[l].bits.withUnsafeBytes { d in
                roundedInputs[l].bits.withUnsafeBytes { x in Self.run(product, d.baseAddress!, x.baseAddress!, nil, &c) }
            }
        }
    }
}
