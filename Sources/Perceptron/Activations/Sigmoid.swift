/// The logistic sigmoid, `σ(z) = 1 / (1 + e⁻ᶻ)`, with `σ′(z) = σ(z)(1 − σ(z))`.
///
/// Computed without overflow: with `e = e^{−|z|}` (at most 1), `σ(z) = 1 / (1 + e)` for `z ≥ 0`
/// and `e / (1 + e)` for `z < 0`. Both are formed and one is selected, so a loop vectorises.
public enum Sigmoid: ActivationFunction {
    @inlinable
    public static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar {
        let e = Scalar.exp(-abs(z))
        let s = 1 / (1 + e)
        return z >= 0 ? s : e * s
    }

    @inlinable
    public static func derivative<Scalar: NetworkScalar>(output a: Scalar) -> Scalar {
        a * (1 - a)
    }
}
