extension Optimizer {
    /// One training step on the batch in `workspace`: backpropagation, then the optimiser's update.
    ///
    /// Classic momentum folds its update into the backward pass (``Momentum/fusedStep(_:on:reduction:)``:
    /// the weight-gradient product writes the velocity). Every other optimiser — Nesterov, Adam,
    /// AdamW — gets the gradients in `gradients`, then ``update(_:gradients:)``.
    /// Returns the batch's summed loss and correct count.
    @discardableResult
    public mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                              reduction: LossReduction, gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        if var momentum = self as? Momentum<Scalar>, !momentum.nesterov {
            // `momentum` shares its velocity's storage with `self`: while it steps, `self` holds an
            // empty optimiser, so that the velocity is written in place rather than copied.
            self = Momentum<Scalar>(learningRate: 0) as! Self
            let result = momentum.fusedStep(&network, on: &workspace, reduction: reduction)
            self = momentum as! Self
            return result
        }
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
