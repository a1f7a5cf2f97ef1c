import Perceptron
import PerceptronData

/// `augmented.svg`: what the network trains on when the training images are augmented.
///
/// ```
///  Augmented training images
///  rotation=10,scale=0.1,…                            the augmentation, as on the command line
///           original  epoch 1  epoch 2  …  epoch K
///   label 3   ▦        ▦        ▦            ▦         one row per example
///   label 7   ▦        ▦        ▦            ▦
/// ```
/// Row `n` shows example `n` of `originals`, then its augmented variants, `variants[k]` being the
/// copy made for epoch `k + 1`. Every image is drawn pixel for pixel (an embedded greyscale PNG, ink
/// dark on white, scaled up with sharp pixels) in a thin frame; the original's column is set apart.
public enum AugmentationGrid {
    static let tile = 56.0
    static let pitchX = 64.0
    static let pitchY = 64.0
    static let left = 70.0
    static let top = 80.0

    /// The grid of `originals` and their `variants` (each as many images of the same size, in the same
    /// order), titled with `augmentation`, the augmentation's text.
    public static func svg(originals: LabeledImages, variants: [LabeledImages], augmentation: String) -> String {
        precondition(variants.allSatisfy { $0.count == originals.count && $0.rows == originals.rows && $0.columns == originals.columns },
                     "every variant needs \(originals.count) images of \(originals.rows) × \(originals.columns)")
        let columns = 1 + variants.count
        let gap = variants.isEmpty ? 0 : 12.0  // between the originals and the variants
        // The augmentation's text is about 7 pixels a character at 12 pixels.
        let width = max(left + Double(columns) * pitchX + gap + 10, 32 + 7 * Double(augmentation.count), 480)
        let height = top + Double(max(originals.count, 1)) * pitchY + 16
        var svg = SVG(width: width, height: height,
                      title: "Training images and the augmented variants the network sees in epochs 1 to \(variants.count): \(augmentation)")
        svg.text("Augmented training images", x: 16, y: 24, size: 15, weight: "600", [("class", "heading")])
        svg.text(augmentation, x: 16, y: 44, size: 12, fill: "#4b5563", [("class", "augmentation")])

        let scale = tile / Double(max(originals.rows, originals.columns))
        let drawnWidth = Double(originals.columns) * scale, drawnHeight = Double(originals.rows) * scale
        func x(_ column: Int) -> Double { left + Double(column) * pitchX + (column > 0 ? gap : 0) }
        for column in 0..<columns {
            svg.text(column == 0 ? "original" : "epoch \(column)", x: x(column) + drawnWidth / 2, y: top - 8, size: 11,
                     anchor: "middle", fill: "#374151", [("class", "column-label")])
        }
        if originals.count == 0 {
            svg.text("no images to show", x: 16, y: top + 20, size: 13, fill: "#6b7280", [("class", "note")])
            return svg.document
        }
        for row in 0..<originals.count {
            let y = top + Double(row) * pitchY
            svg.text("label \(originals.labels[row])", x: left - 10, y: y + drawnHeight / 2 + 4, size: 11, anchor: "end",
                     fill: "#374151", [("class", "row-label")])
            for column in 0..<columns {
                let images = column == 0 ? originals : variants[column - 1]
                let ink = images.pixels(of: row).map { 255 - $0 }
                let png = PNGEncoder.encode(grey8: ink, width: images.columns, height: images.rows)
                svg.image(png: png, x: x(column), y: y, width: drawnWidth, height: drawnHeight,
                          [("class", column == 0 ? "digit original" : "digit variant"), ("data-row", String(row)),
                           ("data-epoch", String(column))])
                svg.rect(x: x(column) - 0.5, y: y - 0.5, width: drawnWidth + 1, height: drawnHeight + 1, fill: "none",
                         [("stroke", column == 0 ? "#9ca3af" : "#d1d5db")])
            }
        }
        return svg.document
    }
}
