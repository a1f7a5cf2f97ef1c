import Foundation

/// A linear map from data values to positions on a figure, with "nice" tick marks.
///
/// ```
/// position(v) = start + (v − lower) / (upper − lower) · (end − start)
/// ```
/// `start` and `end` are pixels and may run backwards (a y axis grows downwards on screen). Nice
/// ticks step by 1, 2 or 5 times a power of ten, and ``nice(lower:upper:ticks:)`` widens a data
/// range outwards to whole steps, so the axis begins and ends on a labelled tick.
public struct LinearScale: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var start: Double
    public var end: Double
    /// The distance between ticks.
    public var step: Double

    /// A scale from `lower…upper` onto `start…end`, ticked every `step`. An empty domain
    /// (`lower == upper`) is widened to `lower…lower + 1`.
    public init(lower: Double, upper: Double, start: Double, end: Double, step: Double) {
        self.lower = lower
        self.upper = upper > lower ? upper : lower + 1
        self.start = start
        self.end = end
        self.step = step > 0 && step.isFinite ? step : (self.upper - lower)
    }

    /// The scale whose domain is `lower…upper` widened to whole nice steps, about `ticks` of them.
    public static func nice(lower: Double, upper: Double, ticks: Int = 5, start: Double, end: Double,
                            minimumStep: Double = 0) -> LinearScale {
        var low = lower.isFinite ? lower : 0
        var high = upper.isFinite ? upper : low + 1
        if high < low { swap(&low, &high) }
        if high == low { high = low + max(abs(low) * 0.1, 1e-9, minimumStep) }
        let step = max(niceStep(for: (high - low) / Double(max(ticks, 1))), minimumStep)
        let niceLow = (low / step + 1e-9).rounded(.down) * step
        let niceHigh = (high / step - 1e-9).rounded(.up) * step
        return LinearScale(lower: niceLow, upper: max(niceHigh, niceLow + step), start: start, end: end, step: step)
    }

    /// The smallest of 1, 2, 5 × 10ᵏ that is at least `rough`.
    public static func niceStep(for rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= rough * (1 - 1e-9) {
            return multiple * power
        }
        return 10 * power
    }

    /// Where `value` lands.
    public func position(_ value: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// Every multiple of `step` within the domain, computed as whole multiples so that no rounding
    /// drift creeps in.
    public var ticks: [Double] {
        let first = Int((lower / step - 1e-9).rounded(.up))
        let last = Int((upper / step + 1e-9).rounded(.down))
        guard first <= last, last - first <= 1000 else { return [] }
        return (first...last).map { Double($0) * step }
    }

    /// The number of decimals that tell the ticks apart (0 for steps of 1 or more).
    public var decimals: Int { max(0, Int((-log10(step) - 1e-9).rounded(.up))) }

    /// `value` written with ``decimals`` decimals.
    public func label(_ value: Double) -> String {
        String(format: "%.\(decimals)f", value == 0 ? 0 : value)
    }
}
