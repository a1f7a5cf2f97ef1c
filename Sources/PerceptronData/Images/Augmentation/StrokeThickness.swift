/// Thicker or thinner strokes: the image blended with its grey-level dilation or erosion by the
/// five-pixel cross (a pixel and its four neighbours), by an amount `t` in [−1, 1]:
///
/// ```
/// D(x) = max { I(y) : y ∈ x + cross }      E(x) = min { I(y) : y ∈ x + cross }      (0 outside the image)
/// out(x) = round(I(x) + t·(D(x) − I(x)))    for t ≥ 0: up to one pixel thicker
/// out(x) = round(I(x) − t·(E(x) − I(x)))    for t < 0: up to one pixel thinner        [rows, columns]
/// ```
/// Pens differ in width more than affine maps and elastic fields change it (those move ink; they
/// stretch a stroke's width only where they stretch the digit). One instance serves one thread:
/// it keeps a copy of the image it is changing.
final class StrokeThickness {
    let rows: Int
    let columns: Int
    /// The image before the change, framed by a pixel of 0 on every side.
    private let framed: UnsafeMutablePointer<UInt8>

    init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "cannot change the strokes of images of \(rows) × \(columns) pixels")
        self.rows = rows
        self.columns = columns
        framed = .allocate(capacity: (rows + 2) * (columns + 2))
        framed.initialize(repeating: 0, count: (rows + 2) * (columns + 2))
    }

    deinit { framed.deallocate() }

    /// Changes the strokes of the `rows × columns` image at `image` in place by `t` (|t| ≤ 1).
    func apply(_ t: Double, to image: UnsafeMutablePointer<UInt8>) {
        precondition(abs(t) <= 1, "a stroke change of \(t) is outside [−1, 1]")
        guard t != 0 else { return }
        let width = columns + 2
        for row in 0..<rows {
            (framed + (row + 1) * width + 1).update(from: image + row * columns, count: columns)
        }
        let amount = Float(abs(t)), thicker = t > 0
        for row in 0..<rows {
            let centre = framed + (row + 1) * width + 1
            let above = centre - width, below = centre + width
            let out = image + row * columns
            for column in 0..<columns {
                let here = centre[column]
                let neighbours = (above[column], below[column], centre[column - 1], centre[column + 1])
                let extreme = thicker
                    ? max(here, neighbours.0, neighbours.1, neighbours.2, neighbours.3)
                    : min(here, neighbours.0, neighbours.1, neighbours.2, neighbours.3)
                let value = Float(here) + amount * (Float(extreme) - Float(here))
                out[column] = UInt8(value.rounded())
            }
        }
    }
}
