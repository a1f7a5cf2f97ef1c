/// Momentum that starts low and rises to its set value over the first epochs: early steps, taken
/// where the gradient changes fast, are not carried along by a velocity built from stale ones.
///
/// ```
/// μ(t) = μ₀ + (μ − μ₀) · min(t / K, 1)        μ₀ = min(0.5, μ),  t = epochs done (fractional)
/// ```
/// (Srivastava et al. 2014 raise μ from 0.5 to 0.99 this way.) `K = 0` keeps `μ` throughout.
public struct MomentumWarmup: Sendable, Equatable {
    /// `μ`, the momentum reached after the warm-up.
    public var momentum: Double
    /// `K`, the warm-up's length in epochs.
    public var epochs: Double
    /// `μ₀`
    public var start: Double { min(0.5, momentum) }

    /// A warm-up that reaches `μ = momentum` after `K = epochs` epochs (`K = 0`: none).
    public init(momentum: Double, epochs: Double) {
        self.momentum = momentum
        self.epochs = epochs
    }

    /// `μ(t)`
    public func momentum(at t: Double) -> Double {
        guard epochs > 0 else { return momentum }
        return start + (momentum - start) * min(t / epochs, 1)
    }
}
