/// How backpropagation writes a gradient `∇` into the matrix `G` an optimiser gives it:
///
/// ```
/// G ← α·∇ + β·G
/// ```
/// ``overwrite`` (`α = 1, β = 0`) writes the gradient itself, for rules that read it (Adam,
/// Nesterov momentum); classic momentum asks for `α = −η, β = μ`, and `G`, its velocity, becomes
/// `v ← μv − η∇` in the same matrix product that computes `∇W` (see
/// ``Network/backpropagate(_:reduction:into:accumulating:)``).
public struct GradientAccumulation<Scalar: NetworkScalar>: Equatable, Sendable {
    /// `α`
    public var scale: Scalar
    /// `β`
    public var decay: Scalar

    /// `G ← α·∇ + β·G` with `α = scale` and `β = decay`.
    public init(scale: Scalar, decay: Scalar) {
        self.scale = scale
        self.decay = decay
    }

    /// `G ← ∇`
    public static var overwrite: GradientAccumulation { GradientAccumulation(scale: 1, decay: 0) }

    /// `G ← α·g + β·G` for a gradient computed elsewhere: what backpropagation would have written.
    public func accumulate(_ gradient: Matrix<Scalar>, into g: inout Matrix<Scalar>) {
        precondition(gradient.shape == g.shape, "a gradient of \(gradient.shape) for \(g.shape)")
        let (α, β) = (scale, decay)
        for i in g.elements.indices { g.elements[i] = α * gradient.elements[i] + (β == 0 ? 0 : β * g.elements[i]) }
    }
}
