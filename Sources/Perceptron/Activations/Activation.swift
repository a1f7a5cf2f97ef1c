/// An element-wise function `a = f(z)` with its derivative written through its output,
/// `f′(z) = g(a)`, so that backpropagation needs only the activations it already keeps.
public protocol ActivationFunction {
    /// `a = f(z)`
    static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar
    /// `f′(z)`, computed from `a = f(z)`.
    static func derivative<Scalar: NetworkScalar>(output a: Scalar) -> Scalar
}

/// The activations a layer can apply to its pre-activations.
public enum Activation: String, Codable, CaseIterable, Sendable {
    /// `sigmoid`: `σ(z) = 1 / (1 + e⁻ᶻ)`; `tanh`: `tanh(z)`; `relu`: `max(0, z)`; `identity`:
    /// `f(z) = z`, the output layer's (its outputs are logits).
    ///
    /// The raw values are the names model files and the command line use; the functions are
    /// ``Sigmoid``, ``Tanh``, ``ReLU`` and ``Identity``.
    case sigmoid, tanh, relu, identity

    /// The function that implements this activation.
    public var function: any ActivationFunction.Type {
        switch self {
        case .sigmoid: Sigmoid.self
        case .tanh: Tanh.self
        case .relu: ReLU.self
        case .identity: Identity.self
        }
    }

    /// `a ← f(z + b)`, in place: row by row, the bias `b` `[1, columns]` is added to `z`
    /// `[rows, columns]` as the activation is applied, in one pass over memory.
    @inlinable
    public func apply<Scalar: NetworkScalar>(to z: inout Matrix<Scalar>, addingBias bias: Matrix<Scalar>) {
        precondition(bias.rows == 1 && bias.columns == z.columns, "a bias of \(bias.shape) for rows of \(z.columns)")
        switch self {
        case .sigmoid: Self.map(Sigmoid.self, &z, bias)
        case .tanh: Self.map(Tanh.self, &z, bias)
        case .relu: Self.map(ReLU.self, &z, bias)
        case .identity: Self.map(Identity.self, &z, bias)
        }
    }

    /// `δ ← δ ⊙ f′(z)`, element-wise, where `a = f(z)` are the layer's outputs (the same shape).
    public func multiplyByDerivative<Scalar: NetworkScalar>(_ delta: inout Matrix<Scalar>, outputs a: Matrix<Scalar>) {
        precondition(delta.shape == a.shape, "δ \(delta.shape) and the outputs \(a.shape) must have the same shape")
        let count = a.elements.count
        a.elements.withUnsafeBufferPointer { a in
            delta.elements.withUnsafeMutableBufferPointer { multiplyByDerivative($0.baseAddress!, outputs: a.baseAddress!, count: count) }
        }
    }

    /// `δ ← δ ⊙ f′(z)`, element-wise, for `count` elements, where `a = f(z)` are the layer's outputs.
    @inlinable
    public func multiplyByDerivative<Scalar: NetworkScalar>(_ delta: UnsafeMutablePointer<Scalar>, outputs a: UnsafePointer<Scalar>, count: Int) {
        switch self {
        case .sigmoid: Self.multiply(Sigmoid.self, delta, a, count)
        case .tanh: Self.multiply(Tanh.self, delta, a, count)
        case .relu: Self.multiply(ReLU.self, delta, a, count)
        case .identity: break
        }
    }

    // The loops below walk raw pointers, row by row, so that the inner loop has no bounds or
    // overflow checks and vectorises; large matrices are split over the cores (``Parallel``).

    @inlinable
    static func map<F: ActivationFunction, Scalar: NetworkScalar>(_: F.Type, _ z: inout Matrix<Scalar>, _ bias: Matrix<Scalar>) {
        let (rows, columns) = (z.rows, z.columns)
        bias.elements.withUnsafeBufferPointer { b in
            z.elements.withUnsafeMutableBufferPointer { z in
                guard let b = b.baseAddress, let z = z.baseAddress else { return }
                Parallel.forEachRange(rows, minimum: Parallel.minimumElements / max(columns, 1), with: (z, b, columns)) { p, rows in
                    let (z, b, columns) = p
                    for r in rows {
                        let zr = z + r * columns
                        for j in 0..<columns { zr[j] = F.value(zr[j] + b[j]) }
                    }
                }
            }
        }
    }

    @inlinable
    static func multiply<F: ActivationFunction, Scalar: NetworkScalar>(_: F.Type, _ delta: UnsafeMutablePointer<Scalar>,
                                                                       _ a: UnsafePointer<Scalar>, _ count: Int) {
        for i in 0..<count { delta[i] *= F.derivative(output: a[i]) }
    }
}
