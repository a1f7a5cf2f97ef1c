/// A rule that moves a network's parameters against their gradient.
///
/// A value, kept apart from the network: its state (a velocity, say) is its own.
public protocol Optimizer: Sendable {
    associatedtype Scalar: NetworkScalar
    /// `η`, which a learning-rate schedule changes as training goes on.
    var learningRate: Scalar { get set }
    /// `θ ← step(θ, ∇θ)` for every parameter of `network`.
    mutating func update(_ network: inout Network<Scalar>, gradients: [DenseGradient<Scalar>])

    /// One training step on the batch in `workspace`: backpropagation, then this rule's update.
    /// Returns the batch's summed loss and correct count.
    ///
    /// By default the gradients go into `gradients`, then ``update(_:gradients:)``. A rule may fold
    /// its update into the backward pass instead (classic ``Momentum`` does: the gradients are never
    /// written).
    @discardableResult
    mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                       reduction: LossReduction, gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int)

    /// The optimiser's state as named matrices, for checkpoints (`velocity.0.weight`, …); empty
    /// before the first update.
    var state: [String: Matrix<Scalar>] { get }

    /// Takes back a state saved from ``state``, for `network`'s shapes.
    mutating func restore(_ state: [String: Matrix<Scalar>], for network: Network<Scalar>) throws(OptimizerStateError)
}

/// A saved optimiser state that does not fit the network.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { "the optimiser state does not fit the network: \(problem)" }
}
