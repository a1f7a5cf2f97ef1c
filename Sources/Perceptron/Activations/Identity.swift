/// The identity, `f(z) = z`, with `f′(z) = 1`: the output layer's activation, since softmax is
/// folded into the cross-entropy (``SoftmaxCrossEntropy``).
public enum Identity: ActivationFunction {
    @inlinable
    public static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar { z }

    @inlinable
    public static func derivative<Scalar: NetworkScalar>(output a: Scalar) -> Scalar { 1 }
}
