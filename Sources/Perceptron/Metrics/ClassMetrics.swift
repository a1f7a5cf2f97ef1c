/// How well one class is recognised, read off a ``ConfusionMatrix``.
///
/// ```
/// precision = TP / (TP + FP)     of the images predicted as the class, the share that are it   (its column)
/// recall    = TP / (TP + FN)     of the images of the class, the share predicted as it         (its row)
/// F1        = 2·P·R / (P + R)    the harmonic mean of the two
/// support   = TP + FN            the number of images of the class
/// ```
/// A ratio whose denominator is zero is defined as 0 (not NaN): a class never predicted has
/// precision 0, a class with no images has recall 0, and F1 is 0 when precision and recall are both 0.
/// So every value is a finite number in [0, 1] that can be printed, averaged and written to JSON.
public struct ClassMetrics: Sendable, Equatable {
    /// The class.
    public var label: Int
    /// `TP / (TP + FP)`: of the images predicted as ``label``, the share that are it, in [0, 1].
    public var precision: Double
    /// `TP / (TP + FN)`: of the images of ``label``, the share predicted as it, in [0, 1].
    public var recall: Double
    /// `F1 = 2·P·R / (P + R)`, the harmonic mean of ``precision`` and ``recall``; 0 when both are 0.
    public var f1: Double
    /// The number of images whose label is `label`.
    public var support: Int

    /// Metrics as given, unchecked (an average, say, as ``macroAverage(_:)`` makes);
    /// ``init(label:in:)`` computes them from a confusion matrix.
    public init(label: Int, precision: Double, recall: Double, f1: Double, support: Int) {
        self.label = label
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }

    /// The metrics of class `label` in `confusion`.
    public init(label: Int, in confusion: ConfusionMatrix) {
        let truePositives = confusion.counts[label][label]
        let predicted = confusion.predictedCount(of: label)
        let actual = confusion.actualCount(of: label)
        let precision = Self.ratio(truePositives, predicted)
        let recall = Self.ratio(truePositives, actual)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        self.init(label: label, precision: precision, recall: recall, f1: f1, support: actual)
    }

    /// The metrics of every class, in order of class.
    public static func all(_ confusion: ConfusionMatrix) -> [ClassMetrics] {
        (0..<confusion.classes).map { ClassMetrics(label: $0, in: confusion) }
    }

    /// The unweighted mean of each metric over `metrics` (the "macro average"), with the summed
    /// support; all zero for no classes. `label` is -1: the average belongs to no class.
    public static func macroAverage(_ metrics: [ClassMetrics]) -> ClassMetrics {
        guard !metrics.isEmpty else { return ClassMetrics(label: -1, precision: 0, recall: 0, f1: 0, support: 0) }
        let n = Double(metrics.count)
        return ClassMetrics(label: -1,
                            precision: metrics.reduce(0) { $0 + $1.precision } / n,
                            recall: metrics.reduce(0) { $0 + $1.recall } / n,
                            f1: metrics.reduce(0) { $0 + $1.f1 } / n,
                            support: metrics.reduce(0) { $0 + $1.support })
    }

    /// `part / whole`, or 0 when `whole` is 0.
    private static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}
