/// The logistic sigmoid, `σ(z) = 1 / (1 + e⁻ᶻ)`, with `σ′(z) = σ(z)(1 − σ(z))`.
///
/// Computed without overflow: for `z ≥ 0` as `1 / (1 + e⁻ᶻ)`, for `z < 0` as `eᶻ / (1 + eᶻ)`,
/// so the exponential is always of a non-positive number (at most 1).
public enum Sigmoid: ActivationFunction {
    @inlinable
    public static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar {
        if z >= 0 {
            return 1 / (1 + Scalar.exp(-z))
        } else {
            let e = Scalar.exp(z)
            return e / (1 + e)
        }
    }

    @inlinable
    public static func derivative<Scalar: NetworkScalar>(output a: Scalar) -> Scalar {
        a * (1 - a)
    }
}
