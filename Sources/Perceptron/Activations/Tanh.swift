/// The hyperbolic tangent, `tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)`, with `tanh′(z) = 1 − tanh²(z)`.
public enum Tanh: ActivationFunction {
    @inlinable
    public static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar {
        Scalar.tanh(z)
    }

    @inlinable
    public static func derivative<Scalar: NetworkScalar>(output a: Scalar) -> Scalar {
        1 - a * a
    }
}
