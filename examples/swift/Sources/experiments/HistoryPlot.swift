import Perceptron

/// The validation loss of each run, epoch by epoch, as an SVG line plot (log scale in the loss).
enum HistoryPlot {
    static func svg(_ runs: [(name: String, history: [EpochRecord])], width: Double = 640, height: Double = 360) -> String {
        let margin = 48.0
        let losses = runs.flatMap { $0.history.map(\.valLoss) }.filter { $0 > 0 && $0.isFinite }
        let (low, high) = (log10(losses.min() ?? 0.01), log10(losses.max() ?? 1))
        let epochs = Double(max(runs.map { $0.history.count - 1 }.max() ?? 1, 1))
        func x(_ epoch: Int) -> Double { margin + Double(epoch) / epochs * (width - 2 * margin) }
        func y(_ loss: Double) -> Double {
            let t = high > low ? (log10(max(loss, 1e-12)) - low) / (high - low) : 0.5
            return height - margin - t * (height - 2 * margin)
        }
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin)" y="20">validation loss (log scale) by epoch</text>
            <line x1="\(margin)" y1="\(height - margin)" x2="\(width - margin)" y2="\(height - margin)" stroke="black"/>
            <line x1="\(margin)" y1="\(margin)" x2="\(margin)" y2="\(height - margin)" stroke="black"/>

            """
        for (i, run) in runs.enumerated() {
            let points = run.history.map { "\(x($0.epoch)),\(y($0.valLoss))" }.joined(separator: " ")
            let colour = colours[i % colours.count]
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            svg += "<text x=\"\(width - margin - 180)\" y=\"\(margin + 16 * Double(i))\" fill=\"\(colour)\">\(run.name)</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func log10(_ x: Double) -> Double { Foundation.log10(x) }
}

import Foundation
