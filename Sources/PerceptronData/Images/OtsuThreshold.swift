extension DigitPreprocessing {
    /// Otsu's threshold (N. Otsu, "A threshold selection method from gray-level histograms", 1979)
    /// for values in [0, 1]: the level that splits them into two classes as far apart as possible.
    ///
    /// The values are counted in `bins` equal bins (value v in bin ⌊v · bins⌋, 1 in the last).
    /// For each k in 1 ..< bins, the class below holds the bins < k and the class above the
    /// rest; with ω₀, ω₁ the shares of the values in each and μ₀, μ₁ their means (each bin counted
    /// at its centre), the between-class variance is ω₀ ω₁ (μ₀ − μ₁)². The threshold is k / bins
    /// for the k that maximises it (when several do, as between two peaks with empty bins between
    /// them, the middle one of those: (first + last) / 2, rounded down); values at or above it are the
    /// class above. With fewer than two occupied bins there is nothing to split and the result is
    /// nil.
    public static func otsuThreshold(_ values: [Double], bins: Int = 256) -> Double? {
        precondition(bins >= 2, "Otsu's method needs at least two bins")
        let counts = histogram(values, bins: bins)
        let total = Double(values.count)
        var (countBelow, sumBelow) = (0.0, 0.0)
        let sum = counts.enumerated().reduce(0.0) { $0 + Double($1.element) * (Double($1.offset) + 0.5) }
        var best: (first: Int, last: Int, variance: Double)?
        for k in 1..<bins {
            countBelow += Double(counts[k - 1])
            sumBelow += Double(counts[k - 1]) * (Double(k - 1) + 0.5)
            let countAbove = total - countBelow
            guard countBelow > 0, countAbove > 0 else { continue }
            let difference = sumBelow / countBelow - (sum - sumBelow) / countAbove
            let variance = countBelow / total * (countAbove / total) * difference * difference
            if let current = best, variance == current.variance, k == current.last + 1 {
                best?.last = k
            } else if variance > (best?.variance ?? 0) {
                best = (k, k, variance)
            }
        }
        return best.map { Double(($0.first + $0.last) / 2) / Double(bins) }
    }

    /// How many of `values` fall in each of `bins` equal bins of [0, 1]: v in bin ⌊v · bins⌋, 1 in
    /// the last (values clamped to [0, 1], NaN as 0).
    static func histogram(_ values: [Double], bins: Int) -> [Int] {
        var histogram = [Int](repeating: 0, count: bins)
        for value in values {
            histogram[bin(of: value, bins: bins)] += 1
        }
        return histogram
    }

    /// The bin of `value` among `bins` equal bins of [0, 1]: ⌊v · bins⌋, 1 in the last, values
    /// clamped to [0, 1] and NaN as 0.
    @inline(__always)
    static func bin(of value: Double, bins: Int) -> Int {
        min(bins - 1, Int(clamped(value) * Double(bins)))
    }

    /// The `share` quantile of the values counted in `counts` (equal bins of [0, 1]): the centre
    /// of the bin that holds the value of rank ⌊share · total⌋ in ascending order, counting from 0
    /// (at most the last value); 1 when nothing is counted.
    static func quantile(_ share: Double, of counts: [Int]) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 1 }
        let rank = min(total - 1, Int(share * Double(total)))
        var seen = 0
        for (bin, count) in counts.enumerated() {
            seen += count
            if seen > rank { return (Double(bin) + 0.5) / Double(counts.count) }
        }
        return 1
    }
}
