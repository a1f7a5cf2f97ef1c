import Foundation

/// A logarithmic map from positive data values to positions on a figure, ticked at powers of ten.
///
/// ```
/// position(v) = start + (log₁₀ v − log₁₀ lower) / (log₁₀ upper − log₁₀ lower) · (end − start)
/// ```
/// Equal ratios take equal room, so a loss that falls from 2.3 to 0.02 keeps its late epochs
/// apart, and a validation loss that turns upwards (overfitting) shows. ``covering(lower:upper:start:end:)``
/// widens the range outwards to whole decades; within three decades or fewer the ticks are 1, 2 and
/// 5 × 10ᵏ, else the powers of ten alone.
public struct LogScale: PlotScale, Sendable, Equatable {
    /// The smallest value on the axis (positive).
    public var lower: Double
    /// The largest value on the axis.
    public var upper: Double
    public var start: Double
    public var end: Double

    /// The scale from `lower…upper` (both positive, else 1) onto `start…end`.
    public init(lower: Double, upper: Double, start: Double, end: Double) {
        self.lower = lower > 0 && lower.isFinite ? lower : 1
        self.upper = upper > self.lower && upper.isFinite ? upper : self.lower * 10
        self.start = start
        self.end = end
    }

    /// The scale whose domain is `lower…upper` widened to whole decades.
    public static func covering(lower: Double, upper: Double, start: Double, end: Double) -> LogScale {
        let low = lower > 0 && lower.isFinite ? lower : 1e-3
        let high = max(upper.isFinite ? upper : low * 10, low)
        let bottom = pow(10, (log10(low) + 1e-9).rounded(.down))
        var top = pow(10, (log10(high) - 1e-9).rounded(.up))
        if top <= bottom { top = bottom * 10 }
        return LogScale(lower: bottom, upper: top, start: start, end: end)
    }

    /// Where `value` lands; values at or below 0 land at the bottom.
    public func position(_ value: Double) -> Double {
        let v = max(value, lower)
        return start + (log10(v) - log10(lower)) / (log10(upper) - log10(lower)) * (end - start)
    }

    /// The tick values: 1, 2, 5 × 10ᵏ within the domain (powers of ten alone over more than three decades).
    public var ticks: [Double] {
        let first = Int((log10(lower) + 1e-9).rounded(.down)), last = Int((log10(upper) - 1e-9).rounded(.up))
        guard last - first <= 30 else { return [] }
        let multiples: [Double] = last - first <= 3 ? [1, 2, 5] : [1]
        var values: [Double] = []
        for k in first...last {
            let power = pow(10, Double(k))
            for multiple in multiples {
                let value = multiple * power
                if value >= lower * (1 - 1e-9) && value <= upper * (1 + 1e-9) { values.append(value) }
            }
        }
        return values
    }

    /// `value` as a short label: `0.01`, `0.2`, `5`, `1e-05`.
    public func label(_ value: Double) -> String { String(format: "%g", value) }
}

/// What the curves need of an axis: where a value lands, its ticks and their labels, its top.
public protocol PlotScale {
    /// The largest value on the axis: larger ones are drawn clamped at the edge.
    var upper: Double { get }
    /// Where `value` lands, in pixels.
    func position(_ value: Double) -> Double
    /// The values of the tick marks.
    var ticks: [Double] { get }
    /// A tick's label.
    func label(_ value: Double) -> String
}

extension LinearScale: PlotScale {}
