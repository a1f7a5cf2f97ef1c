/// A feed-forward, fully connected network: a stack of ``Dense`` layers.
///
/// ```
/// a⁰ = x                                  [batch, sizes[0]]
/// aˡ = fˡ(aˡ⁻¹·Wˡᵀ + bˡ),   l = 1 … L       [batch, sizes[l]]
/// ```
/// The last layer's activation is the identity: its outputs are logits, and softmax is applied by
/// the loss (``SoftmaxCrossEntropy``) or by ``probabilities(_:)``.
///
/// A value: `let best = network` is a real copy, which later training never touches.
public struct Network<Scalar: NetworkScalar>: Equatable, Sendable {
    public var layers: [Dense<Scalar>]

    public init(layers: [Dense<Scalar>]) {
        for (below, above) in zip(layers, layers.dropFirst()) {
            precondition(below.outputSize == above.inputSize,
                         "a layer with \(below.outputSize) outputs cannot feed one with \(above.inputSize) inputs")
        }
        self.layers = layers
    }

    /// A network with layer sizes `sizes` (`[784, 100, 10]`: 784 inputs, 100 hidden units, 10 outputs),
    /// `hiddenActivation` on every hidden layer, identity on the output layer.
    public init(sizes: [Int], hiddenActivation: Activation, initializer: Initializer? = nil,
                using generator: inout some RandomNumberGenerator) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "a network needs at least two positive layer sizes, not \(sizes)")
        var layers: [Dense<Scalar>] = []
        for l in 1..<sizes.count {
            let activation: Activation = l == sizes.count - 1 ? .identity : hiddenActivation
            layers.append(Dense(inputSize: sizes[l - 1], outputSize: sizes[l], activation: activation,
                                initializer: initializer ?? .standard(for: hiddenActivation), using: &generator))
        }
        self.init(layers: layers)
    }

    /// `[inputs, hidden…, outputs]`
    public var sizes: [Int] { [layers[0].inputSize] + layers.map(\.outputSize) }

    /// `784-100-10`
    public var architecture: String { sizes.map(String.init).joined(separator: "-") }

    /// The number of weights and biases.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weight.elements.count + $1.bias.elements.count } }

    /// The logits `aᴸ` for a batch of inputs, `[batch, inputs] → [batch, outputs]`.
    public func logits(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        var a = input
        for layer in layers {
            var next = Matrix<Scalar>(rows: a.rows, columns: layer.outputSize)
            layer.forward(a, into: &next)
            a = next
        }
        return a
    }

    /// `softmax(aᴸ)`, row by row: each row's probability of each class.
    public func probabilities(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        SoftmaxCrossEntropy.probabilities(logits: logits(input))
    }

    /// The same network with every parameter converted to another scalar type.
    public func converted<Other: NetworkScalar>(to: Other.Type = Other.self) -> Network<Other> {
        Network<Other>(layers: layers.map {
            Dense(weight: $0.weight.converted(), bias: $0.bias.converted(), activation: $0.activation)
        })
    }
}
