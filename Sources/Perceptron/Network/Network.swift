/// A feed-forward, fully connected network: a stack of ``Dense`` layers.
///
/// Layers are counted from 0: layer `l` reads `xₗ` and writes `aₗ` (see ``Workspace``).
/// ```
/// x₀ = the input                              [batch, sizes[0]]
/// aₗ = fₗ(xₗ·Wₗᵀ + bₗ),  xₗ₊₁ = aₗ,  l = 0 … L−1   [batch, sizes[l + 1]]
/// ```
/// The last layer's activation is the identity: its outputs are logits, and softmax is applied by
/// the loss (``SoftmaxCrossEntropy``) or by ``probabilities(_:)``. The pass itself is
/// ``forward(_:)``.
///
/// A value: `let best = network` is a real copy, which later training never touches.
public struct Network<Scalar: NetworkScalar>: Equatable, Sendable {
    /// The layers, from the input: layer `l` maps `[batch, sizes[l]] → [batch, sizes[l + 1]]`.
    public var layers: [Dense<Scalar>]

    /// The network of these layers, from the input; each layer's ``Dense/outputSize`` must be the
    /// next one's ``Dense/inputSize``.
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

    /// Whether every weight and bias is a finite number. (oneDNN's fused ReLU maps NaN to 0, so a
    /// NaN parameter need not reach the logits: ``Evaluator`` asks this.)
    public var parametersAreFinite: Bool {
        layers.allSatisfy { Self.allFinite($0.weight) && Self.allFinite($0.bias) }
    }

    @_specialize(where Scalar == Float)
    static func allFinite(_ m: Matrix<Scalar>) -> Bool {
        m.elements.withUnsafeBufferPointer { x in
            var finite = true
            for i in 0..<x.count { finite = finite && x[i].isFinite }
            return finite
        }
    }

    /// Rounds every layer's weights to bfloat16 where they are not already (``Dense/roundedWeight``).
    mutating func roundWeights() {
        for l in layers.indices { layers[l].roundWeight() }
    }

    /// The same network with every parameter converted to another scalar type.
    public func converted<Other: NetworkScalar>(to: Other.Type = Other.self) -> Network<Other> {
        Network<Other>(layers: layers.map {
            Dense(weight: $0.weight.converted(), bias: $0.bias.converted(), activation: $0.activation)
        })
    }
}
