extension Optimizer {
    /// Backpropagation into `gradients`, then ``update(_:gradients:)``: the step of every rule that
    /// does not fold its update into the backward pass (Nesterov momentum, Adam, AdamW).
    @discardableResult
    public mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                              reduction: LossReduction, gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        let result = network.backpropagate(&workspace, reduction: reduction, into: &gradients)
        update(&network, gradients: gradients)
        return result
    }

    /// Loads the examples at `indices` into `workspace`, then ``step(_:on:reduction:gradients:)``.
    @discardableResult
    public mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                              loading data: LabeledImages, indices: ArraySlice<Int>,
                              reduction: LossReduction, gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        workspace.load(data, indices: indices)
        return step(&network, on: &workspace, reduction: reduction, gradients: &gradients)
    }
}
