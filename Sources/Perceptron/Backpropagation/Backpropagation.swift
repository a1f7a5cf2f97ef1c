extension Network {
    /// The forward pass over the batch in `workspace`: `aˡ = fˡ(aˡ⁻¹·Wˡᵀ + bˡ)` for every layer.
    /// With dropout masks in the workspace, each layer sees its input after its mask: `x̃ = x ⊙ m`.
    public func forward(_ workspace: inout Workspace<Scalar>) {
        for l in layers.indices {
            workspace.applyMask(l)
            layers[l].forward(workspace.layerInput(l), into: &workspace.outputs[l])
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
    @discardableResult
    public func backpropagate(_ workspace: inout Workspace<Scalar>, reduction: LossReduction,
                              into gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        forward(&workspace)
        let top = layers.count - 1
        let result = SoftmaxCrossEntropy.lossAndDelta(
            logits: workspace.outputs[top], labels: workspace.labels, reduction: reduction, delta: &workspace.deltas[top])
        for l in stride(from: top, through: 0, by: -1) {
            layers[l].parameterGradient(delta: workspace.deltas[l], input: workspace.layerInput(l), into: &gradients[l])
            if l > 0 {
                layers[l].inputGradient(delta: workspace.deltas[l], into: &workspace.deltas[l - 1])
                if let mask = workspace.mask(l) { workspace.deltas[l - 1].multiplyElementwise(by: mask) }
                layers[l - 1].activation.multiplyByDerivative(&workspace.deltas[l - 1], outputs: workspace.outputs[l - 1])
            }
        }
        return result
    }

    /// A zero gradient for every layer.
    public func zeroGradients() -> [DenseGradient<Scalar>] {
        layers.map(DenseGradient.init(zeroLike:))
    }
}
