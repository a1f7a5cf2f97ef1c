/// How often each class was predicted as each class: `counts[actual][predicted]`.
///
/// ```
///                 predicted
///              0     1   …   9
/// true  0    973     0       1      ← a row: every image whose label is 0
///       1      0  1127       2
///       …
/// ```
/// The diagonal holds the correct predictions; every other cell is one kind of mistake.
public struct ConfusionMatrix: Sendable, Equatable {
    /// The number of classes; labels and predictions are in `0 ..< classes`.
    public let classes: Int
    /// `counts[actual][predicted]`, `classes × classes`.
    public var counts: [[Int]]

    /// Counts every `(labels[n], predictions[n])` pair.
    public init(classes: Int, labels: [UInt8], predictions: [UInt8]) {
        precondition(classes > 0, "a confusion matrix needs at least one class")
        precondition(labels.count == predictions.count,
                     "\(labels.count) labels cannot be paired with \(predictions.count) predictions")
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (label, prediction) in zip(labels, predictions) {
            precondition(Int(label) < classes && Int(prediction) < classes,
                         "the pair (\(label), \(prediction)) is outside \(classes) classes")
            counts[Int(label)][Int(prediction)] += 1
        }
        self.classes = classes
        self.counts = counts
    }

    /// The number of counted images.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The number of correct predictions: the sum of the diagonal.
    public var correct: Int { (0..<classes).reduce(0) { $0 + counts[$1][$1] } }

    /// The share of correct predictions, in [0, 1]; 0 when nothing was counted.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// The number of images whose label is `actual` (the sum of its row).
    public func actualCount(of actual: Int) -> Int { counts[actual].reduce(0, +) }

    /// The number of images predicted as `predicted` (the sum of its column).
    public func predictedCount(of predicted: Int) -> Int { counts.reduce(0) { $0 + $1[predicted] } }

    /// The `k` most frequent mistakes, most frequent first (ties in the order of `actual`, then
    /// `predicted`); only cells off the diagonal with a count above zero, so possibly fewer than `k`.
    public func mostConfused(_ k: Int) -> [(actual: Int, predicted: Int, count: Int)] {
        var mistakes: [(actual: Int, predicted: Int, count: Int)] = []
        for actual in 0..<classes {
            for predicted in 0..<classes where predicted != actual && counts[actual][predicted] > 0 {
                mistakes.append((actual, predicted, counts[actual][predicted]))
            }
        }
        mistakes.sort { a, b in
            if a.count != b.count { return a.count > b.count }
            return (a.actual, a.predicted) < (b.actual, b.predicted)
        }
        return Array(mistakes.prefix(max(k, 0)))
    }
}

// MARK: - Terminal table

extension ConfusionMatrix {
    /// The matrix as aligned text for a terminal: one row per true class, one column per predicted
    /// class, then each row's total; a last row holds each column's total and the grand total.
    ///
    /// ```
    /// true\pred     0     1     2  total
    ///         0    50     1     0     51
    ///         1     2    47     3     52
    ///         2     0     0    49     49
    ///     total    52    48    52    152
    /// ```
    /// Every line has the same length; numbers are right-aligned in columns as wide as the widest
    /// number (the grand total) or the word `total`, separated by two spaces.
    public var table: String {
        let corner = "true\\pred"
        let width = max(String(total).count, "total".count)
        func cell(_ text: String) -> String { "  " + String(repeating: " ", count: max(width - text.count, 0)) + text }
        func label(_ text: String) -> String { String(repeating: " ", count: max(corner.count - text.count, 0)) + text }

        var lines = [corner + (0..<classes).map { cell(String($0)) }.joined() + cell("total")]
        for actual in 0..<classes {
            lines.append(label(String(actual)) + counts[actual].map { cell(String($0)) }.joined()
                         + cell(String(actualCount(of: actual))))
        }
        lines.append(label("total") + (0..<classes).map { cell(String(predictedCount(of: $0))) }.joined()
                     + cell(String(total)))
        return lines.joined(separator: "\n")
    }
}
