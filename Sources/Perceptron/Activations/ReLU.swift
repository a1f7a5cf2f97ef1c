/// The rectified linear unit, `relu(z) = max(0, z)`, with `relu′(z) = 1 if z > 0, else 0`.
///
/// Through the output: `a > 0` exactly when `z > 0`. At `z = 0` the derivative is taken as 0.
public enum ReLU: ActivationFunction {
    @inlinable
    public static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar {
        let zero: Scalar = 0  // a named constant, not a literal in each branch: the select then vectorises
        return z < zero ? zero : z  // NaN passes through, so divergence stays visible
    }

    @inlinable
    public static func derivative<Scalar: NetworkScalar>(output a: Scalar) -> Scalar {
        let (zero, one): (Scalar, Scalar) = (0, 1)
        return a > zero ? one : zero
    }
}
