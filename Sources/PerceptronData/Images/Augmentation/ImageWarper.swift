import Perceptron

/// Distorts images of one size, one after another, in memory allocated once: the affine map and the
/// elastic field are composed into one field of sampling coordinates, and the image is sampled once.
///
/// ```
/// x' = A (x − c − t) + c + d(x)      for every output pixel x           [rows, columns] × 2
/// out(x) = round(I(x'))              bilinear, 0 outside the image      [rows, columns]
/// ```
/// with `A`, `c`, `t` from ``AffineDistortion`` and `d` a ``DisplacementField`` (Simard's `α·(G_σ * u)`,
/// see ``ElasticDistortion``) or 0. The fields' rows are `stride` long, `columns` rounded up to a
/// multiple of 8, so that every loop over a row is whole SIMD vectors. One warper serves one thread.
final class ImageWarper {
    let rows: Int
    let columns: Int
    let stride: Int
    let elastic: ElasticDistortion?
    private let elasticScratch: ElasticDistortion.Scratch?
    /// The source image as `Float`, framed by zeros (``BilinearSampling``).
    private let framed: UnsafeMutablePointer<Float>
    /// `x'` then `y'`, `rows × stride` each.
    private let coordinates: UnsafeMutablePointer<Float>
    /// `d`'s two components, `rows × stride` each.
    private let displacement: UnsafeMutablePointer<Float>

    init(rows: Int, columns: Int, elastic: ElasticDistortion?) {
        precondition(rows > 0 && columns > 0, "cannot warp images of \(rows) × \(columns) pixels")
        self.rows = rows
        self.columns = columns
        stride = ElasticDistortion.Scratch.stride(columns: columns)
        self.elastic = elastic
        elasticScratch = elastic.map { ElasticDistortion.Scratch(rows: rows, columns: columns, radius: $0.radius) }
        let framedCount = BilinearSampling.framedCount(rows: rows, columns: columns)
        framed = .allocate(capacity: framedCount)
        framed.initialize(repeating: 0, count: framedCount)
        coordinates = .allocate(capacity: 2 * rows * stride)
        displacement = .allocate(capacity: 2 * rows * stride)
        displacement.initialize(repeating: 0, count: 2 * rows * stride)
    }

    deinit {
        framed.deallocate()
        coordinates.deallocate()
        displacement.deallocate()
    }

    /// Draws a fresh elastic field into the warper's field, for the next ``warp(_:affine:displaced:into:)``;
    /// needs the warper to have an ``elastic`` distortion.
    func drawDisplacement(using generator: inout SplitMix64) {
        guard let elastic, let elasticScratch else { preconditionFailure("this warper draws no elastic fields") }
        elastic.draw(using: &generator, scratch: elasticScratch, x: displacement, y: displacement + rows * stride)
    }

    /// Sets the warper's field to `field`, for the next ``warp(_:affine:displaced:into:)``.
    func setDisplacement(_ field: DisplacementField) {
        precondition(field.rows == rows && field.columns == columns, "the displacement field is not \(rows) × \(columns)")
        for row in 0..<rows {
            for column in 0..<columns {
                displacement[row * stride + column] = field.x[row * columns + column]
                displacement[(rows + row) * stride + column] = field.y[row * columns + column]
            }
        }
    }

    /// Writes the image at `source` (`rows × columns` bytes), its content moved by `affine`, and
    /// each pixel's reading point moved further by the warper's field if `displaced`, to `target`.
    func warp(_ source: UnsafePointer<UInt8>, affine: AffineDistortion, displaced: Bool, into target: UnsafeMutablePointer<UInt8>) {
        let map = affine.sampling(rows: rows, columns: columns)
        let xs = coordinates, ys = coordinates + rows * stride
        let dx = displacement, dy = displacement + rows * stride
        // x' = A·x + b (+ d(x)), a row at a time so the loops run over contiguous memory.
        for row in 0..<rows {
            let y = Float(row)
            let startX = map.a12 * y + map.bx, startY = map.a22 * y + map.by
            let rowX = xs + row * stride, rowY = ys + row * stride
            for column in 0..<stride {
                let x = Float(column)
                rowX[column] = map.a11 * x + startX
                rowY[column] = map.a21 * x + startY
            }
            if displaced {
                let rowDX = dx + row * stride, rowDY = dy + row * stride
                for column in 0..<stride {
                    rowX[column] += rowDX[column]
                    rowY[column] += rowDY[column]
                }
            }
        }
        BilinearSampling.load(source, rows: rows, columns: columns, into: framed)
        BilinearSampling.sample(framed, rows: rows, columns: columns, xs: xs, ys: ys, stride: stride, into: target)
    }
}
