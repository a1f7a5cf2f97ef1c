import Perceptron
import PerceptronData

/// `weights.svg`: what the first layer's hidden units look at.
///
/// ```
///  First-layer weights: hidden units 0–99 of 800
///  ▦ ▦ ▦ ▦ ▦ ▦ ▦ ▦ ▦ ▦     ten tiles to a row, one per hidden unit
///  ▦ ▦ ▦ …
///  blue −  white 0  red +   (each tile scaled to its own largest |w|)
/// ```
/// Row `j` of the first layer's weight matrix `[out, in]` holds the weights from every input pixel
/// into hidden unit `j`; laid back out as the `side × side` image (28 × 28 for MNIST), it shows the
/// pattern the unit responds to. Each tile is an embedded PNG in a diverging colour map, white for
/// 0, red for positive and blue for negative weights, scaled by the tile's own largest |w| (so a
/// unit with small weights is as visible as one with large weights). Non-finite weights are drawn
/// white. When the input size is not a perfect square there is no image to draw, and the figure
/// says so instead.
public enum WeightTiles {
    /// The most tiles drawn by default.
    public static let defaultLimit = 100
    static let columns = 10
    static let tile = 56.0
    static let pitch = 62.0
    /// The colour map's levels either side of 0.
    static let levels = 32

    /// The side of the square image of `inputs` pixels, if there is one.
    public static func side(of inputs: Int) -> Int? {
        guard inputs > 0 else { return nil }
        var side = Int(Double(inputs).squareRoot().rounded())
        while side * side > inputs { side -= 1 }
        while (side + 1) * (side + 1) <= inputs { side += 1 }
        return side * side == inputs ? side : nil
    }

    /// The tiles of the first `limit` rows of `weight` (`[units, inputs]`).
    public static func svg<Scalar: NetworkScalar>(weight: Matrix<Scalar>, limit: Int = defaultLimit) -> String {
        let units = weight.rows, inputs = weight.columns
        let side = side(of: inputs)
        let shown = side == nil ? 0 : min(units, max(limit, 0))
        let columnCount = max(min(columns, shown), 1)
        let rows = (shown + columnCount - 1) / columnCount
        let width = max(16 + Double(columnCount) * pitch + 10, 460)
        let height = 44 + Double(max(rows, 1)) * pitch + 40
        var svg = SVG(width: width, height: height,
                      title: "First-layer weights of each hidden unit as an image, blue negative, white zero, red positive")
        let heading = shown > 0 && shown < units
            ? "First-layer weights: hidden units 0–\(shown - 1) of \(units)"
            : "First-layer weights: \(units) hidden unit\(units == 1 ? "" : "s")"
        svg.text(heading, x: 16, y: 24, size: 15, weight: "600")

        guard let side, shown > 0 else {
            svg.text(side == nil ? "no tiles: \(inputs) inputs do not form a square image" : "no tiles to draw", x: 16, y: 64, size: 13, fill: "#6b7280",
                     [("class", "note")])
            return svg.document
        }
        let palette = (0...(2 * levels)).map { Colour.diverging(Double($0 - levels) / Double(levels)) }
        for unit in 0..<shown {
            let row = (0..<inputs).map { Double(weight[unit, $0]) }
            let largest = row.lazy.filter(\.isFinite).map(abs).max() ?? 0
            let indices = row.map { w -> UInt8 in
                guard w.isFinite, largest > 0 else { return UInt8(levels) }
                return UInt8(Int((w / largest * Double(levels)).rounded()) + levels)
            }
            let png = PNGEncoder.encode(indexed8: indices, palette: palette.flatMap { [$0.red, $0.green, $0.blue] }, width: side, height: side)
            let x = 16 + Double(unit % columnCount) * pitch
            let y = 40 + Double(unit / columnCount) * pitch
            svg.image(png: png, x: x, y: y, width: tile, height: tile,
                      [("class", "tile"), ("data-unit", String(unit)), ("data-max-abs", String(largest))])
            svg.rect(x: x - 0.5, y: y - 0.5, width: tile + 1, height: tile + 1, fill: "none", [("stroke", "#e5e7eb")])
        }

        // The colour key.
        let keyY = 40 + Double(rows) * pitch + 10
        let steps = 2 * levels + 1
        for (k, colour) in palette.enumerated() {
            svg.rect(x: 16 + Double(k) * 160 / Double(steps), y: keyY, width: 160 / Double(steps) + 0.3, height: 10, fill: colour.hex)
        }
        svg.rect(x: 16, y: keyY, width: 160, height: 10, fill: "none", [("stroke", "#9ca3af"), ("stroke-width", "0.5")])
        svg.text("−max|w|", x: 16, y: keyY + 24, size: 10, fill: "#4b5563")
        svg.text("0", x: 96, y: keyY + 24, size: 10, anchor: "middle", fill: "#4b5563")
        svg.text("+max|w|", x: 176, y: keyY + 24, size: 10, anchor: "end", fill: "#4b5563")
        svg.text("each tile is scaled to its own largest |w|", x: 190, y: keyY + 9, size: 11, fill: "#4b5563")
        return svg.document
    }
}
