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

    /// `a ← f(a)`, element-wise, in place.
    @inlinable
    public func apply<Scalar: NetworkScalar>(to values: inout Matrix<Scalar>) {
        switch self {
        case .sigmoid: Self.map(Sigmoid.self, &values)
        case .tanh: Self.map(Tanh.self, &values)
        case .relu: Self.map(ReLU.self, &values)
        case .identity: break
        }
    }

    /// `δ ← δ ⊙ f′(z)`, element-wise, where `a = f(z)` are the layer's outputs.
    @inlinable
    public func multiplyByDerivative<Scalar: NetworkScalar>(_ delta: inout Matrix<Scalar>, outputs a: Matrix<Scalar>) {
        precondition(delta.shape == a.shape, "δ \(delta.shape) and the outputs \(a.shape) must have the same shape")
        switch self {
        case .sigmoid: Self.multiply(Sigmoid.self, &delta, a)
        case .tanh: Self.multiply(Tanh.self, &delta, a)
        case .relu: Self.multiply(ReLU.self, &delta, a)
        case .identity: break
        }
    }

    @inlinable
    static func map<F: ActivationFunction, Scalar: NetworkScalar>(_: F.Type, _ values: inout Matrix<Scalar>) {
        values.elements.withUnsafeMutableBufferPointer { v in
            for i in v.indices { v[i] = F.value(v[i]) }
        }
    }

    @inlinable
    static func multiply<F: ActivationFunction, Scalar: NetworkScalar>(_: F.Type, _ delta: inout Matrix<Scalar>, _ a: Matrix<Scalar>) {
        a.elements.withUnsafeBufferPointer { a in
            delta.elements.withUnsafeMutableBufferPointer { d in
                for i in d.indices { d[i] *= F.derivative(output: a[i]) }
            }
        }
    }
}
