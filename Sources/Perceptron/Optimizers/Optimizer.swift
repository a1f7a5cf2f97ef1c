/// A rule that moves a network's parameters against their gradient.
///
/// A value, kept apart from the network: its state (a velocity, say) is its own.
public protocol Optimizer: Sendable {
    associatedtype Scalar: NetworkScalar
    /// `θ ← step(θ, ∇θ)` for every parameter of `network`.
    mutating func update(_ network: inout Network<Scalar>, gradients: [DenseGradient<Scalar>])
}
