import Perceptron

/// `curves.svg`: the learning curves of a run.
///
/// ```
///  Loss and accuracy per epoch
///  ● training loss  ● validation loss  ■ validation accuracy (right axis)
///  2.5 ┤●                    ┊ best epoch 7            ├ 100%
///      │ ■─■─■──■──■──■──■──■┊■──■──■──■               │
///      │  ●                  ┊                         │
/// 0.01 ┼───●──●──●──●──●──●──●──●──●──●──              ├ 0%
///      0        5        10       15  epoch
/// ```
/// The training and validation loss per epoch (epoch 0 is the untrained network) are lines with
/// round markers on the left axis, a logarithmic one (``LogScale``): the untrained network's 2.3
/// does not flatten the later epochs onto the axis, and a validation loss turning upwards shows. The validation accuracy is a dashed line
/// with square markers on its own axis on the right, in percent. A dashed vertical line marks the
/// selected (best) epoch, labelled at the top on a white box that the curves pass behind.
///
/// Every marker is an element of class `point` and of its series' class, `train-loss`, `val-loss` or
/// `val-accuracy`, so the points can be counted. A non-finite value (the NaN or infinity of a
/// diverged run) has no point, and its series' line breaks there. So that one exploding epoch
/// cannot flatten the rest of the curve, the loss axis stops at 3 × the run's first finite loss;
/// a larger loss is drawn as an upward triangle on the top edge (with class `clamped` too).
public enum CurvesPlot {
    public static let width = 720.0
    public static let height = 400.0

    /// The plot of `history`, marking `bestEpoch` when it is one of the history's epochs.
    public static func svg(history: [EpochRecord], bestEpoch: Int?) -> String {
        let left = 64.0, right = width - 70, top = 62.0, bottom = height - 52
        var svg = SVG(width: width, height: height,
                      title: "Training and validation loss and validation accuracy per epoch")
        svg.text("Loss and accuracy per epoch", x: left, y: 24, size: 15, weight: "600")
        legend(&svg, x: left, y: 44)

        let epochs = history.map { Double($0.epoch) }
        // The epochs are inset from the axes, so that the first and last points stand clear of them.
        let x = LinearScale.nice(lower: epochs.min() ?? 0, upper: epochs.max() ?? 1, ticks: 8,
                                 start: left + 12, end: right - 12, minimumStep: 1)
        let losses = history.flatMap { [$0.trainLoss, $0.valLoss] }.filter { $0.isFinite && $0 > 0 }
        let loss = LogScale.covering(lower: losses.min() ?? 0.01, upper: ceiling(history), start: bottom, end: top)
        let accuracy = accuracyScale(history, start: bottom, end: top)

        // Grid and axes.
        for tick in loss.ticks {
            let y = loss.position(tick)
            svg.line(x1: left, y1: y, x2: right, y2: y, stroke: "#e5e7eb", [("class", "grid")])
            svg.line(x1: left - 5, y1: y, x2: left, y2: y, stroke: "#6b7280")
            svg.text(loss.label(tick), x: left - 8, y: y + 4, size: 11, anchor: "end", fill: "#4b5563")
        }
        for tick in accuracy.ticks {
            let y = accuracy.position(tick)
            svg.line(x1: right, y1: y, x2: right + 5, y2: y, stroke: "#6b7280")
            svg.text(percent(tick, step: accuracy.step), x: right + 8, y: y + 4, size: 11, fill: "#4b5563")
        }
        for tick in x.ticks {
            let px = x.position(tick)
            svg.line(x1: px, y1: bottom, x2: px, y2: bottom + 5, stroke: "#6b7280")
            svg.text(x.label(tick), x: px, y: bottom + 18, size: 11, anchor: "middle", fill: "#4b5563")
        }
        svg.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#6b7280", [("class", "axis")])
        svg.line(x1: right, y1: top, x2: right, y2: bottom, stroke: "#6b7280", [("class", "axis")])
        svg.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#6b7280", [("class", "axis")])
        svg.text("epoch", x: (left + right) / 2, y: bottom + 38, size: 12, anchor: "middle")
        svg.text("cross-entropy loss (log scale)", x: 18, y: (top + bottom) / 2, size: 12, anchor: "middle", rotation: -90)
        svg.text("validation accuracy", x: width - 14, y: (top + bottom) / 2, size: 12, anchor: "middle", rotation: 90)

        if history.isEmpty {
            svg.text("no epochs recorded", x: (left + right) / 2, y: (top + bottom) / 2, size: 13, anchor: "middle", fill: "#6b7280")
            return svg.document
        }

        // The selected epoch: a line behind the curves, its label (on a white box) in front of them.
        let bestX = bestEpoch.flatMap { best in history.contains { $0.epoch == best } ? x.position(Double(best)) : nil }
        if let bestX {
            svg.line(x1: bestX, y1: top, x2: bestX, y2: bottom, stroke: "#6b7280", width: 1.2,
                     [("stroke-dasharray", "5 4"), ("class", "best-epoch")])
        }

        // The three series: lines first, then markers on top.
        let series: [(name: String, label: String, colour: Colour, value: (EpochRecord) -> Double, scale: any PlotScale, dashed: Bool)] = [
            ("train-loss", "training loss", .trainLoss, { $0.trainLoss }, loss, false),
            ("val-loss", "validation loss", .validationLoss, { $0.valLoss }, loss, false),
            ("val-accuracy", "validation accuracy", .validationAccuracy, { $0.valAccuracy * 100 }, accuracy, true),
        ]
        for line in series {
            for run in finiteRuns(history.map(line.value)) {
                let points = run.map { index in
                    (x: x.position(epochs[index]), y: line.scale.position(min(line.value(history[index]), line.scale.upper)))
                }
                svg.polyline(points, stroke: line.colour.hex, width: 1.8,
                             [("class", "line \(line.name)")] + (line.dashed ? [("stroke-dasharray", "6 3")] : []))
            }
        }
        for line in series {
            for (index, record) in history.enumerated() {
                let value = line.value(record)
                guard value.isFinite else { continue }
                let px = x.position(epochs[index])
                let tooltip = "epoch \(record.epoch): \(line.label) " + (line.dashed ? Format.percent(value / 100) : Format.decimal(value, 4))
                if value > line.scale.upper {
                    let py = line.scale.position(line.scale.upper)
                    svg.polygon([(px, py - 6), (px - 5, py + 3), (px + 5, py + 3)], fill: line.colour.hex,
                                [("class", "point \(line.name) clamped")], tooltip: tooltip + " (off the scale)")
                } else if line.dashed {
                    let py = line.scale.position(value)
                    svg.rect(x: px - 3, y: py - 3, width: 6, height: 6, fill: line.colour.hex,
                             [("class", "point \(line.name)")], tooltip: tooltip)
                } else {
                    svg.circle(cx: px, cy: line.scale.position(value), r: 3.5, fill: line.colour.hex,
                               [("class", "point \(line.name)"), ("stroke", "#ffffff"), ("stroke-width", "1")], tooltip: tooltip)
                }
            }
        }
        if let bestX, let bestEpoch {
            let label = "best epoch \(bestEpoch)"
            let nearRight = bestX > left + 0.75 * (right - left)
            let labelWidth = Double(label.count) * 6.2 + 6
            svg.rect(x: nearRight ? bestX - 3 - labelWidth : bestX + 3, y: top + 2, width: labelWidth, height: 15,
                     fill: "#ffffff", [("fill-opacity", "0.85")])
            svg.text(label, x: nearRight ? bestX - 6 : bestX + 6, y: top + 13, size: 11,
                     anchor: nearRight ? "end" : "start", fill: "#374151", [("class", "best-epoch-label")])
        }
        return svg.document
    }

    /// The top of the loss axis: the largest finite loss, but at most 3 × the larger loss of the
    /// first record with a finite one (usually the untrained network's ≈ ln 10); 1 without losses.
    static func ceiling(_ history: [EpochRecord]) -> Double {
        let losses = history.flatMap { [$0.trainLoss, $0.valLoss] }.filter(\.isFinite)
        guard let largest = losses.max(), largest > 0 else { return 1 }
        guard let first = history.first(where: { $0.trainLoss.isFinite || $0.valLoss.isFinite }) else { return largest }
        let reference = [first.trainLoss, first.valLoss].filter(\.isFinite).max() ?? largest
        return reference > 0 ? min(largest, 3 * reference) : largest
    }

    /// The accuracy axis, in percent: the finite accuracies' range made nice, within 0…100.
    private static func accuracyScale(_ history: [EpochRecord], start: Double, end: Double) -> LinearScale {
        let values = history.map { $0.valAccuracy * 100 }.filter(\.isFinite)
        let low = max(values.min() ?? 0, 0), high = min(values.max() ?? 100, 100)
        var scale = LinearScale.nice(lower: min(low, high), upper: max(high, low), ticks: 5, start: start, end: end)
        scale.lower = max(scale.lower, 0)
        scale.upper = min(scale.upper, 100)
        if scale.upper <= scale.lower { scale = LinearScale(lower: 0, upper: 100, start: start, end: end, step: 20) }
        return scale
    }

    /// The runs of consecutive indices whose values are finite.
    private static func finiteRuns(_ values: [Double]) -> [[Int]] {
        var runs: [[Int]] = [[]]
        for (index, value) in values.enumerated() {
            if value.isFinite { runs[runs.count - 1].append(index) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// `value` (a percentage) as a label, with as many decimals as the axis step needs.
    private static func percent(_ value: Double, step: Double) -> String {
        LinearScale(lower: 0, upper: 1, start: 0, end: 1, step: step).label(value) + "%"
    }

    private static func legend(_ svg: inout SVG, x: Double, y: Double) {
        var left = x
        let entries: [(String, Colour, Bool)] = [
            ("training loss", .trainLoss, false), ("validation loss", .validationLoss, false),
            ("validation accuracy (right axis)", .validationAccuracy, true),
        ]
        for (label, colour, square) in entries {
            svg.line(x1: left, y1: y - 4, x2: left + 22, y2: y - 4, stroke: colour.hex, width: 1.8,
                     square ? [("stroke-dasharray", "6 3")] : [])
            if square {
                svg.rect(x: left + 8, y: y - 7, width: 6, height: 6, fill: colour.hex)
            } else {
                svg.circle(cx: left + 11, cy: y - 4, r: 3.5, fill: colour.hex)
            }
            svg.text(label, x: left + 28, y: y, size: 12, [("class", "legend")])
            left += 28 + Double(label.count) * 6.6 + 20
        }
    }
}
