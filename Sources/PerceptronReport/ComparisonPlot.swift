import Perceptron

/// The curves of several runs overlaid on one figure: one colour per run.
///
/// ``lossSVG(_:)``: each run's validation loss (solid, round markers) and training loss (dashed),
/// on a logarithmic axis (``LogScale``). ``accuracySVG(_:)``: each run's validation accuracy in
/// percent. Every run's markers carry the class `run-N` (`N` its position, from 0) and `point`, so
/// a browser test can count them.
public enum ComparisonPlot {
    public static let width = 720.0
    public static let height = 360.0

    /// A run's colour: eight well-separated hues, then round again.
    public static func colour(_ index: Int) -> Colour {
        let palette: [Colour] = [
            .init(red: 0x25, green: 0x63, blue: 0xeb), .init(red: 0xea, green: 0x58, blue: 0x0c),
            .init(red: 0x16, green: 0xa3, blue: 0x4a), .init(red: 0x93, green: 0x33, blue: 0xea),
            .init(red: 0xdb, green: 0x27, blue: 0x77), .init(red: 0x0d, green: 0x94, blue: 0x88),
            .init(red: 0xca, green: 0x8a, blue: 0x04), .init(red: 0x47, green: 0x55, blue: 0x69),
        ]
        return palette[index % palette.count]
    }

    /// The losses of every run: validation solid, training dashed, on a log axis.
    public static func lossSVG(_ runs: [(name: String, history: [EpochRecord])]) -> String {
        let losses = runs.flatMap { $0.history.flatMap { [$0.trainLoss, $0.valLoss] } }.filter { $0.isFinite && $0 > 0 }
        let scale = LogScale.covering(lower: losses.min() ?? 0.01, upper: losses.max() ?? 1, start: height - 52, end: 62)
        return plot(runs, title: "Loss per epoch (log scale): validation solid, training dashed", axis: "cross-entropy loss",
                    scale: scale, series: [({ $0.valLoss }, false, "val-loss"), ({ $0.trainLoss }, true, "train-loss")])
    }

    /// The validation accuracy of every run, in percent.
    public static func accuracySVG(_ runs: [(name: String, history: [EpochRecord])]) -> String {
        let values = runs.flatMap { $0.history.map { $0.valAccuracy * 100 } }.filter(\.isFinite)
        let scale = LinearScale.nice(lower: max(values.min() ?? 0, 0), upper: min(values.max() ?? 100, 100), ticks: 5,
                                     start: height - 52, end: 62)
        return plot(runs, title: "Validation accuracy per epoch", axis: "validation accuracy (%)",
                    scale: scale, series: [({ $0.valAccuracy * 100 }, false, "val-accuracy")])
    }

    private static func plot(_ runs: [(name: String, history: [EpochRecord])], title: String, axis: String, scale: any PlotScale,
                             series: [(value: (EpochRecord) -> Double, dashed: Bool, name: String)]) -> String {
        let left = 64.0, right = width - 24, top = 62.0, bottom = height - 52
        var svg = SVG(width: width, height: height, title: title)
        svg.text(title, x: left, y: 24, size: 15, weight: "600")
        var legendX = left
        for (index, run) in runs.enumerated() {
            svg.line(x1: legendX, y1: 40, x2: legendX + 18, y2: 40, stroke: colour(index).hex, width: 2.5)
            svg.text(run.name, x: legendX + 24, y: 44, size: 12, [("class", "legend")])
            legendX += 24 + Double(run.name.count) * 6.6 + 18
        }
        let epochs = runs.flatMap { $0.history.map { Double($0.epoch) } }
        let x = LinearScale.nice(lower: epochs.min() ?? 0, upper: epochs.max() ?? 1, ticks: 8, start: left + 12, end: right - 12,
                                 minimumStep: 1)
        for tick in scale.ticks {
            let y = scale.position(tick)
            svg.line(x1: left, y1: y, x2: right, y2: y, stroke: "#e5e7eb", [("class", "grid")])
            svg.text(scale.label(tick), x: left - 8, y: y + 4, size: 11, anchor: "end", fill: "#4b5563")
        }
        for tick in x.ticks {
            svg.text(x.label(tick), x: x.position(tick), y: bottom + 18, size: 11, anchor: "middle", fill: "#4b5563")
        }
        svg.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#6b7280", [("class", "axis")])
        svg.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#6b7280", [("class", "axis")])
        svg.text("epoch", x: (left + right) / 2, y: bottom + 38, size: 12, anchor: "middle")
        svg.text(axis, x: 18, y: (top + bottom) / 2, size: 12, anchor: "middle", rotation: -90)
        for (index, run) in runs.enumerated() {
            let hex = colour(index).hex
            for line in series {
                let points = run.history.compactMap { record -> (x: Double, y: Double)? in
                    let value = line.value(record)
                    return value.isFinite ? (x.position(Double(record.epoch)), scale.position(min(value, scale.upper))) : nil
                }
                svg.polyline(points, stroke: hex, width: 1.8,
                             [("class", "line run-\(index) \(line.name)")] + (line.dashed ? [("stroke-dasharray", "6 3")] : []))
                guard !line.dashed else { continue }
                for (point, record) in zip(points, run.history.filter { line.value($0).isFinite }) {
                    svg.circle(cx: point.x, cy: point.y, r: 3, fill: hex, [("class", "point run-\(index) \(line.name)")],
                               tooltip: "\(run.name), epoch \(record.epoch): \(Format.decimal(line.value(record), 4))")
                }
            }
        }
        return svg.document
    }
}
