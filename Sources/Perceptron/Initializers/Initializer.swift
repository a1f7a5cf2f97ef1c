/// How a layer's initial weights are drawn (biases start at zero).
///
/// ```
/// glorot        W ~ U(−r, r),  r = √(6 / (in + out))      Glorot & Bengio 2010; the default for sigmoid and tanh
/// he            W ~ N(0, √(2 / in))                      He et al. 2015; the default for ReLU
/// normal(μ, σ)  W ~ N(μ, σ)
/// uniform(l, h) W ~ U(l, h)
/// ```
public enum Initializer: Equatable, Sendable {
    /// `W ~ U(−r, r)`, `r = √(6 / (in + out))` (Glorot & Bengio 2010): for sigmoid and tanh.
    case glorot
    /// `W ~ N(0, √(2 / in))`, the standard deviation `√(2 / in)` (He et al. 2015): for ReLU.
    case he
    /// `W ~ N(μ, σ)`: every weight normal, of mean `μ` and standard deviation `σ`.
    case normal(mean: Double, standardDeviation: Double)
    /// `W ~ U(l, h)`: every weight uniform between `low` and `high`.
    case uniform(low: Double, high: Double)

    /// The initializer that suits an activation: He for ReLU, Glorot otherwise.
    public static func standard(for activation: Activation) -> Initializer {
        activation == .relu ? .he : .glorot
    }

    /// A `rows × columns` (`[out, in]`) weight matrix.
    public func weights<Scalar: NetworkScalar>(rows: Int, columns: Int,
                                               using generator: inout some RandomNumberGenerator) -> Matrix<Scalar> {
        var w = Matrix<Scalar>(rows: rows, columns: columns)
        for i in w.elements.indices {
            let value: Double
            switch self {
            case .glorot:
                let r = (6 / Double(columns + rows)).squareRoot()
                value = -r + 2 * r * generator.nextUnitDouble()
            case .he:
                value = generator.nextNormal(mean: 0, standardDeviation: (2 / Double(columns)).squareRoot())
            case let .normal(mean, standardDeviation):
                value = generator.nextNormal(mean: mean, standardDeviation: standardDeviation)
            case let .uniform(low, high):
                value = low + (high - low) * generator.nextUnitDouble()
            }
            w.elements[i] = Scalar(value)
        }
        return w
    }
}

extension Initializer: CustomStringConvertible, LosslessStringConvertible {
    /// `glorot`, `he`, `normal:MEAN,STD` or `uniform:LOW,HIGH`, as the command line takes it.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let fields = parts.count == 2 ? parts[1].split(separator: ",", omittingEmptySubsequences: false).map { Double(String($0)) } : []
        guard !fields.contains(nil) else { return nil }
        let numbers = fields.map { $0! }
        switch (parts.first?.lowercased(), parts.count, numbers.count) {
        case ("glorot", 1, _), ("xavier", 1, _): self = .glorot
        case ("he", 1, _), ("kaiming", 1, _): self = .he
        case ("normal", 2, 2) where numbers[1] >= 0 && numbers.allSatisfy(\.isFinite):
            self = .normal(mean: numbers[0], standardDeviation: numbers[1])
        case ("uniform", 2, 2) where numbers[0] <= numbers[1] && numbers.allSatisfy(\.isFinite):
            self = .uniform(low: numbers[0], high: numbers[1])
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .glorot: "glorot"
        case .he: "he"
        case let .normal(mean, sd): "normal:\(mean),\(sd)"
        case let .uniform(low, high): "uniform:\(low),\(high)"
        }
    }
}

extension Initializer: TextCodable {
    public static var expectedForms: String { "glorot, he, normal:MEAN,STD or uniform:LOW,HIGH" }
}
