extension Network {
    /// The forward pass over the batch in `workspace`: `aˡ = fˡ(aˡ⁻¹·Wˡᵀ + bˡ)` for every layer.
    /// With dropout masks in the workspace, each layer sees its input after its mask: `x̃ = x ⊙ m`.
    /// The products run in the workspace's precision (see ``Workspace/precision``).
    public func forward(_ workspace: inout Workspace<Scalar>) {
        for l in layers.indices {
            workspace.applyMask(l)
            workspace.multiplyInput(ofLayer: l, byTransposed: layers[l].weight)
            layers[l].activation.apply(to: &workspace.outputs[l], addingBias: layers[l].bias)
        }
    }

    /// Backpropagation: the forward pass, then every layer's gradient, from the top down.
    ///
    /// ```
    /// δᴸ = softmax(aᴸ) − t                  (÷ B for the mean reduction)
    /// ∇Wˡ = δˡᵀ·aˡ⁻¹,   ∇bˡ = Σₙ δˡₙ
    /// δˡ⁻¹ = (δˡ·Wˡ) ⊙ mˡ ⊙ f′ˡ⁻¹(aˡ⁻¹)      for l > 1: the input layer needs no δ
    /// ```
    /// `mˡ` is layer `l`'s dropout mask (scaled by 1/(1−p)), where it has one, and `aˡ⁻¹` in `∇Wˡ`
    /// is then the masked input.
    /// Writes `gradients` (one per layer) and returns the batch's summed loss and correct count.
    /// (Classic momentum does not need the gradients themselves: ``Momentum/fusedStep(_:on:reduction:)``.)
    @discardableResult
    public func backpropagate(_ workspace: inout Workspace<Scalar>, reduction: LossReduction,
                              into gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        let result = forwardAndLoss(&workspace, reduction: reduction)
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            workspace.roundDelta(l)
            workspace.multiplyDeltaTransposed(ofLayer: l, byInputInto: &gradients[l].weight)
            Matrix.sumRows(of: workspace.deltas[l], into: &gradients[l].bias)
            if l > 0 { propagateDelta(below: l, &workspace) }
        }
        return result
    }

    /// The forward pass and the loss, with the output layer's `δᴸ = s·(softmax(aᴸ) − t)` (÷ B for
    /// the mean reduction) in the workspace.
    func forwardAndLoss(_ workspace: inout Workspace<Scalar>, reduction: LossReduction,
                        scaledBy s: Scalar = 1) -> (lossSum: Double, correct: Int) {
        forward(&workspace)
        let top = layers.count - 1
        return SoftmaxCrossEntropy.lossAndDelta(
            logits: workspace.outputs[top], labels: workspace.labels, reduction: reduction,
            delta: &workspace.deltas[top], scaledBy: s)
    }

    /// `δˡ⁻¹ = (δˡ·Wˡ) ⊙ mˡ ⊙ f′ˡ⁻¹(aˡ⁻¹)`, from layer `l`'s final `δˡ` (rounded, in bf16).
    func propagateDelta(below l: Int, _ workspace: inout Workspace<Scalar>) {
        workspace.multiplyDelta(ofLayer: l, by: layers[l].weight)
        if let mask = workspace.mask(l) { workspace.deltas[l - 1].multiplyElementwise(by: mask) }
        layers[l - 1].activation.multiplyByDerivative(&workspace.deltas[l - 1], outputs: workspace.outputs[l - 1])
    }

    /// A zero gradient for every layer.
    public func zeroGradients() -> [DenseGradient<Scalar>] {
        layers.map(DenseGradient.init(zeroLike:))
    }
}
