import Perceptron

/// `confusion.svg`: a confusion matrix as a heat map.
///
/// ```
///                  predicted
///          0    1    2  …    9    recall
///   t  0 [973][  0][  1]   [  0]   99.3%
///   r  1 [  0][1127][ 2]   [  1]   99.3%
///   u  …
///   e  9 [  3][  5][  0]   [981]   97.2%
/// ```
/// One square cell per (true, predicted) pair, rows the true class, columns the predicted class,
/// with its count written in it. A cell's colour is its share of its row (the images of that true
/// class): green on the diagonal (correct), red off it (mistakes), white for none. Mistakes are
/// coloured by the square root of their share, so that the usual small shares (a few percent) still
/// show. Each row ends with its recall, and the overall accuracy is written below.
public enum ConfusionHeatMap {
    /// The heat map of `matrix`.
    public static func svg(_ matrix: ConfusionMatrix) -> String {
        let classes = matrix.classes
        let cell = min(44, (440 / Double(classes)).rounded(.down))
        let left = 72.0, top = 84.0
        let right = left + cell * Double(classes), bottom = top + cell * Double(classes)
        let width = right + 76, height = bottom + 44
        var svg = SVG(width: width, height: height,
                      title: "Confusion matrix of the test images: counts per true and predicted class, coloured by share of the true class")
        svg.text("Test confusion matrix", x: 16, y: 24, size: 15, weight: "600")

        svg.text("predicted", x: (left + right) / 2, y: top - 32, size: 13, anchor: "middle", weight: "600", [("class", "axis-label")])
        svg.text("true", x: 36, y: (top + bottom) / 2, size: 13, anchor: "middle", weight: "600", rotation: -90, [("class", "axis-label")])
        svg.text("recall", x: right + 38, y: top - 10, size: 11, anchor: "middle", fill: "#4b5563")
        let labelSize = min(12, cell * 0.5)
        for k in 0..<classes {
            let centre = Double(k) * cell + cell / 2
            svg.text(String(k), x: left + centre, y: top - 10, size: labelSize, anchor: "middle", fill: "#374151")
            svg.text(String(k), x: left - 10, y: top + centre + labelSize * 0.35, size: labelSize, anchor: "end", fill: "#374151")
        }

        for actual in 0..<classes {
            let support = matrix.actualCount(of: actual)
            for predicted in 0..<classes {
                let count = matrix.counts[actual][predicted]
                let share = support == 0 ? 0 : Double(count) / Double(support)
                let isDiagonal = actual == predicted
                let intensity = isDiagonal ? share : share.squareRoot()
                let colour = Colour.white.mixed(with: isDiagonal ? .correct : .mistake, intensity)
                let x = left + Double(predicted) * cell, y = top + Double(actual) * cell
                svg.rect(x: x, y: y, width: cell, height: cell, fill: colour.hex,
                         [("class", isDiagonal ? "cell diagonal" : "cell"), ("stroke", "#ffffff"), ("stroke-width", "1")],
                         tooltip: "true \(actual), predicted \(predicted): \(count) (\(Format.percent(share, 1)) of \(support))")
                let text = String(count)
                let size = min(12, cell * 1.5 / Double(max(text.count, 2)))
                let ink = count == 0 ? "#d1d5db" : (intensity > 0.55 ? "#ffffff" : "#111827")
                svg.text(text, x: x + cell / 2, y: y + cell / 2 + size * 0.35, size: size, anchor: "middle", fill: ink,
                         [("class", "count")])
            }
            let recall = support == 0 ? 0 : Double(matrix.counts[actual][actual]) / Double(support)
            svg.text(Format.percent(recall, 1), x: right + 38, y: top + Double(actual) * cell + cell / 2 + 4, size: 11,
                     anchor: "middle", fill: "#374151", [("class", "recall")])
        }
        svg.text("\(Format.count(matrix.correct)) of \(Format.count(matrix.total)) correct: accuracy \(Format.percent(matrix.accuracy))",
                 x: left, y: bottom + 28, size: 12, fill: "#374151")
        return svg.document
    }
}
