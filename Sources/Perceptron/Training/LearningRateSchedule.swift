import Foundation

/// How the learning rate changes as training goes on, as a function of `t`, the epochs done so far
/// (fractional within an epoch: after batch `b` of `B` in epoch `e`, `t = e − 1 + b/B`), with `η₀`
/// the configured rate and `T` the number of epochs:
/// ```
/// constant                η(t) = η₀
/// step:EVERY,FACTOR       η(t) = η₀ · FACTOR^⌊t / EVERY⌋
/// exponential:FACTOR      η(t) = η₀ · FACTOR^t
/// cosine                  η(t) = η₀ · (1 + cos(π·t/T)) / 2
/// ```
/// A warm-up of `W` epochs multiplies the rate by `t / W` while `t < W`, so the first steps, taken
/// from a random start, are small.
public enum LearningRateSchedule: Equatable, Sendable {
    /// `η(t) = η₀`: the rate never changes.
    case constant
    /// `η(t) = η₀ · factor^⌊t / every⌋`: the rate multiplied by `factor` every `every` epochs.
    case step(every: Double, factor: Double)
    /// `η(t) = η₀ · factor^t`: the rate multiplied by `factor` per epoch, smoothly.
    case exponential(factor: Double)
    /// `η(t) = η₀ · (1 + cos(π·t/T)) / 2`: half a cosine, from `η₀` down to 0 at the end of the run.
    case cosine

    /// `η(t)` for a run of `epochs` epochs, with a linear warm-up of `warmup` epochs.
    public func rate(_ base: Double, at t: Double, epochs: Int, warmup: Double = 0) -> Double {
        var rate: Double
        switch self {
        case .constant: rate = base
        case let .step(every, factor): rate = base * pow(factor, (t / every).rounded(.down))
        case let .exponential(factor): rate = base * pow(factor, t)
        case .cosine: rate = base * (1 + cos(Double.pi * min(t / Double(max(epochs, 1)), 1))) / 2
        }
        if warmup > 0 && t < warmup { rate *= t / warmup }
        return rate
    }
}

extension LearningRateSchedule: TextCodable {
    public static var expectedForms: String { "constant, step:EVERY,FACTOR, exponential:FACTOR or cosine" }

    /// `constant`, `step:EVERY,FACTOR`, `exponential:FACTOR` or `cosine`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let fields = parts.count == 2 ? parts[1].split(separator: ",", omittingEmptySubsequences: false).map { Double(String($0)) } : []
        guard !fields.contains(nil) else { return nil }
        let numbers = fields.map { $0! }
        switch (parts.first?.lowercased(), numbers.count) {
        case ("constant", 0) where parts.count == 1: self = .constant
        case ("cosine", 0) where parts.count == 1: self = .cosine
        case ("step", 2) where numbers[0] > 0 && numbers[1] > 0 && numbers.allSatisfy(\.isFinite):
            self = .step(every: numbers[0], factor: numbers[1])
        case ("exponential", 1) where numbers[0] > 0 && numbers[0].isFinite: self = .exponential(factor: numbers[0])
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .constant: "constant"
        case .cosine: "cosine"
        case let .step(every, factor): "step:\(Self.number(every)),\(Self.number(factor))"
        case let .exponential(factor): "exponential:\(Self.number(factor))"
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
