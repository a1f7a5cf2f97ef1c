import Perceptron
import PerceptronData

/// `errors.svg`: a gallery of misclassified images.
///
/// ```
///  Misclassified test images: 123 of 5,000 (the first 60)
///  ┌──┐ ┌──┐ ┌──┐
///  │7 │ │2 │ │5 │ …   ten to a row
///  └──┘ └──┘ └──┘
///  true 7 → 4  true 2 → 8 …
/// ```
/// The first `limit` images whose prediction differs from their label, in the order of the data,
/// each drawn pixel for pixel (an embedded greyscale PNG, ink dark on white, scaled up with sharp
/// pixels) in a thin frame, captioned with the true and the predicted class.
public enum ErrorGallery {
    /// The most images shown by default.
    public static let defaultLimit = 60
    static let columns = 10
    static let tile = 56.0
    static let pitchX = 68.0
    static let pitchY = 82.0

    /// The indices of the images whose prediction differs from their label.
    public static func misclassified(labels: [UInt8], predictions: [UInt8]) -> [Int] {
        precondition(labels.count == predictions.count, "\(labels.count) labels but \(predictions.count) predictions")
        return labels.indices.filter { labels[$0] != predictions[$0] }
    }

    /// The gallery of the first `limit` images of `images` that `predictions` gets wrong.
    public static func svg(images: LabeledImages, predictions: [UInt8], limit: Int = defaultLimit) -> String {
        let wrong = misclassified(labels: images.labels, predictions: predictions)
        let shown = Array(wrong.prefix(max(limit, 0)))
        let rows = (shown.count + columns - 1) / columns
        let width = 16 + Double(columns) * pitchX
        let height = 48 + Double(max(rows, 1)) * pitchY
        var svg = SVG(width: width, height: height, title: "Misclassified test images with their true and predicted classes")
        let heading = shown.count < wrong.count
            ? "Misclassified test images: \(Format.count(wrong.count)) of \(Format.count(images.count)) (the first \(shown.count))"
            : "Misclassified test images: \(Format.count(wrong.count)) of \(Format.count(images.count))"
        svg.text(heading, x: 16, y: 24, size: 15, weight: "600")
        if shown.isEmpty {
            svg.text("none: every image is classified correctly", x: 16, y: 60, size: 13, fill: "#6b7280")
            return svg.document
        }

        // The image's longer side fills the tile.
        let scale = tile / Double(max(images.rows, images.columns))
        let drawnWidth = Double(images.columns) * scale, drawnHeight = Double(images.rows) * scale
        for (position, index) in shown.enumerated() {
            let x = 16 + Double(position % columns) * pitchX
            let y = 40 + Double(position / columns) * pitchY
            let ink = images.pixels(of: index).map { 255 - $0 }
            let png = PNGEncoder.encode(grey8: ink, width: images.columns, height: images.rows)
            let caption = "true \(images.labels[index]) → \(predictions[index])"
            svg.group([("class", "error")]) { svg in
                svg.image(png: png, x: x, y: y, width: drawnWidth, height: drawnHeight,
                          [("class", "digit"), ("data-index", String(index))])
                svg.rect(x: x - 0.5, y: y - 0.5, width: drawnWidth + 1, height: drawnHeight + 1, fill: "none",
                         [("stroke", "#d1d5db")])
                svg.text(caption, x: x + drawnWidth / 2, y: y + drawnHeight + 15, size: 11, anchor: "middle",
                         fill: "#374151", [("class", "caption")])
            }
        }
        return svg.document
    }
}
