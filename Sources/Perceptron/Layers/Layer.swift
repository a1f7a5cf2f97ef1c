/// A layer of a feed-forward network, as backpropagation sees it.
///
/// Forward, it maps a batch of inputs to a batch of outputs, `[batch, in] → [batch, out]`.
/// Backward, given `δ = ∂L/∂z` (the loss gradient with respect to its pre-activations) it gives the
/// gradient of its parameters, and `∂L/∂x` for the layer below.
public protocol Layer: Equatable, Sendable {
    associatedtype Scalar: NetworkScalar
    /// The gradient of the loss with respect to the layer's parameters.
    associatedtype Gradient

    var inputSize: Int { get }
    var outputSize: Int { get }

    /// `a = f(z(x))`: `[batch, in] → [batch, out]`
    func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>)

    /// The parameters' gradient, from `δ = ∂L/∂z` `[batch, out]` and the input `x` `[batch, in]`.
    func parameterGradient(delta: Matrix<Scalar>, input: Matrix<Scalar>, into gradient: inout Gradient)

    /// `∂L/∂x` `[batch, in]`, from `δ = ∂L/∂z` `[batch, out]`.
    func inputGradient(delta: Matrix<Scalar>, into inputGradient: inout Matrix<Scalar>)
}
