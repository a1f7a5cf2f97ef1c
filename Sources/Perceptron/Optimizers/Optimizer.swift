/// A rule that moves a network's parameters against their gradient.
///
/// A value, kept apart from the network: its state (a velocity, say) is its own. It decides where
/// backpropagation writes the gradients (``withGradientDestination(for:_:)``: into which matrices,
/// and how, `G ← α·∇ + β·G`), then moves the parameters from what was written (``update(_:)``).
public protocol Optimizer: Sendable {
    /// The number type of the parameters this rule moves, and of its state: `Float` to train,
    /// `Double` to check gradients.
    associatedtype Scalar: NetworkScalar
    /// `η`, which a learning-rate schedule changes as training goes on.
    var learningRate: Scalar { get set }

    /// Calls `body` with the matrices backpropagation is to write for `network` (one per layer,
    /// shaped like its parameters; made at the first call) and how to write them.
    mutating func withGradientDestination<R>(
        for network: Network<Scalar>,
        _ body: (inout [DenseGradient<Scalar>], GradientAccumulation<Scalar>) throws -> R) rethrows -> R

    /// `θ ← step(θ, G)` for every parameter of `network`, from what backpropagation wrote.
    mutating func update(_ network: inout Network<Scalar>)

    /// Sets `μ`, the momentum, where the rule has one (a momentum warm-up raises it as training
    /// goes on); rules without one ignore it (the default).
    mutating func setMomentum(_ μ: Scalar)

    /// The optimiser's state as named matrices, for checkpoints (`velocity.0.weight`, …); empty
    /// before the first update.
    var state: [String: Matrix<Scalar>] { get }

    /// Takes back a state saved from ``state``, for `network`'s shapes.
    mutating func restore(_ state: [String: Matrix<Scalar>], for network: Network<Scalar>) throws(OptimizerStateError)
}

extension Optimizer {
    /// Rules without momentum have nothing to set.
    public mutating func setMomentum(_ μ: Scalar) {}

    /// One training step on the batch in `workspace`: backpropagation into this rule's gradient
    /// destination, then ``update(_:)``. Returns the batch's summed loss and correct count.
    /// In bf16, the products read each layer's ``Dense/roundedWeight``, rounded here unless the
    /// last update left it.
    @discardableResult
    public mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                              reduction: LossReduction) -> (lossSum: Double, correct: Int) {
        if workspace.precision == .bf16 { network.roundWeights() }  // where the last update did not
        let result = withGradientDestination(for: network) { gradients, accumulation in
            network.backpropagate(&workspace, reduction: reduction, into: &gradients, accumulating: accumulation)
        }
        update(&network)
        return result
    }

    /// Loads the examples at `indices` into `workspace`, then ``step(_:on:reduction:)``.
    @discardableResult
    public mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                              loading data: LabeledImages, indices: ArraySlice<Int>,
                              reduction: LossReduction) -> (lossSum: Double, correct: Int) {
        workspace.load(data, indices: indices)
        return step(&network, on: &workspace, reduction: reduction)
    }

    /// The update for gradients computed elsewhere: each is written into the destination as
    /// backpropagation would have written it, then ``update(_:)``.
    public mutating func update(_ network: inout Network<Scalar>, gradients: [DenseGradient<Scalar>]) {
        withGradientDestination(for: network) { destination, accumulation in
            for l in destination.indices {
                accumulation.accumulate(gradients[l].weight, into: &destination[l].weight)
                accumulation.accumulate(gradients[l].bias, into: &destination[l].bias)
            }
        }
        update(&network)
    }
}

/// A saved optimiser state that does not fit the network.
public struct OptimizerStateError: Error, CustomStringConvertible {
    /// What does not fit, e.g. `velocity.0.weight is [10, 784], the layer needs [100, 784]`.
    public var problem: String
    /// The error for `problem`, which ``description`` puts after `the optimiser state does not fit
    /// the network:`.
    public init(_ problem: String) { self.problem = problem }
    public var description: String { "the optimiser state does not fit the network: \(problem)" }
}
