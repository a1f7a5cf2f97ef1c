/// A fully connected layer: every output unit sees every input.
///
/// ```
/// z = x·Wᵀ + b        x: [batch, in]   W: [out, in]   b: [out]   z: [batch, out]
/// a = f(z)            f is the layer's activation, element-wise
/// ```
///
/// Backward, from `δ = ∂L/∂z` (computed by ``Network/backpropagate(_:reduction:into:accumulating:)``):
/// ```
/// ∇W = δᵀ·x           [out, in]
/// ∇b = Σₙ δₙ           [out]      (the sum over the batch's rows)
/// ∂L/∂x = δ·W         [batch, in]
/// ```
public struct Dense<Scalar: NetworkScalar>: Equatable, Sendable {
    /// `W`, `[out, in]`: row `j` holds the weights into output unit `j`. Any change to it drops
    /// ``roundedWeight``.
    public var weight: Matrix<Scalar> { didSet { roundedWeight = nil } }
    /// `bf16(W)`, the weights rounded to bfloat16 for ``Precision/bf16`` products, when whatever last
    /// wrote `W` also rounded it (classic ``Momentum``'s update does, in the same pass); `nil` after
    /// any other change to `W`, and then the training step rounds it again. Not a parameter: not
    /// saved, not compared.
    public internal(set) var roundedWeight: BFloat16Matrix?
    /// `b`, `[1, out]`.
    public var bias: Matrix<Scalar>
    /// `f`
    public var activation: Activation

    /// `in`, the width of the input `x` `[batch, in]`: the columns of ``weight``.
    public var inputSize: Int { weight.columns }
    /// `out`, the number of units, the width of `z` and `a` `[batch, out]`: the rows of ``weight``.
    public var outputSize: Int { weight.rows }

    /// The layer `a = f(x·Wᵀ + b)` of these parameters: `weight` is `W` `[out, in]`, and `bias`,
    /// `b`, must be `[1, out]`.
    public init(weight: Matrix<Scalar>, bias: Matrix<Scalar>, activation: Activation) {
        precondition(bias.rows == 1 && bias.columns == weight.rows,
                     "the bias of a layer with weight \(weight.shape) must be [1, \(weight.rows)], not \(bias.shape)")
        self.weight = weight
        self.bias = bias
        self.activation = activation
    }

    /// Two layers are equal when their parameters and activations are (``roundedWeight`` is a cache).
    public static func == (a: Dense, b: Dense) -> Bool {
        a.weight == b.weight && a.bias == b.bias && a.activation == b.activation
    }

    /// Rounds `W` into ``roundedWeight`` unless it holds it already.
    @_specialize(where Scalar == Float)
    mutating func roundWeight() {
        guard roundedWeight == nil else { return }
        var rounded = BFloat16Matrix(rows: weight.rows, columns: weight.columns)
        rounded.round(weight)
        roundedWeight = rounded
    }

    /// A layer `in → out` with weights drawn by `initializer` and zero biases.
    public init(inputSize: Int, outputSize: Int, activation: Activation,
                initializer: Initializer, using generator: inout some RandomNumberGenerator) {
        self.init(weight: initializer.weights(rows: outputSize, columns: inputSize, using: &generator),
                  bias: Matrix(rows: 1, columns: outputSize),
                  activation: activation)
    }
}

/// The gradient of the loss with respect to a ``Dense`` layer's parameters; same shapes as they.
/// Optimisers keep their per-parameter state (a velocity, say) in this shape too.
public struct DenseGradient<Scalar: NetworkScalar>: Equatable, Sendable {
    /// `∇W`, `[out, in]`
    public var weight: Matrix<Scalar>
    /// `∇b`, `[1, out]`
    public var bias: Matrix<Scalar>

    /// A zero gradient shaped like `layer`'s parameters.
    public init(zeroLike layer: Dense<Scalar>) {
        weight = Matrix(rows: layer.weight.rows, columns: layer.weight.columns)
        bias = Matrix(rows: 1, columns: layer.bias.columns)
    }
}
