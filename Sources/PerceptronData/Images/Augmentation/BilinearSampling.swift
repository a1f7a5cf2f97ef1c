/// Reading an image between its pixels: bilinear interpolation, with 0 (background) outside.
///
/// For a point `(x, y)` with `x₀ = ⌊x⌋`, `y₀ = ⌊y⌋`, `fₓ = x − x₀`, `f_y = y − y₀` and `I` the image
/// (0 outside it):
/// ```
/// I(x, y) = (1 − f_y)·[(1 − fₓ)·I(x₀, y₀)     + fₓ·I(x₀ + 1, y₀)]
///         +      f_y·[(1 − fₓ)·I(x₀, y₀ + 1) + fₓ·I(x₀ + 1, y₀ + 1)]
/// ```
/// At integer points this is the pixel itself, so sampling at the pixels' own coordinates gives the
/// image back byte for byte. The four neighbours are read from a copy of the image framed by zeros
/// (one row and column before, two after), and each point is first clamped to
/// `[−1, columns] × [−1, rows]`: a point farther out reads only zeros either way, so the loop needs no
/// bounds test. Eight points are computed at a time, as SIMD vectors.
enum BilinearSampling {
    /// The number of values in the framed copy: `(rows + 3) × (columns + 3)`.
    static func framedCount(rows: Int, columns: Int) -> Int { (rows + 3) * (columns + 3) }

    /// Writes the bytes of a `rows × columns` image as `Float` into the inside of `framed`, whose
    /// frame must already hold zeros (it is never written).
    static func load(_ image: UnsafePointer<UInt8>, rows: Int, columns: Int, into framed: UnsafeMutablePointer<Float>) {
        let width = columns + 3
        for row in 0..<rows {
            let source = image + row * columns
            let target = framed + (row + 1) * width + 1
            for column in 0..<columns { target[column] = Float(source[column]) }
        }
    }

    /// `out[row·columns + column] = I(xs[i], ys[i])`, `i = row·stride + column`, rounded to the
    /// nearest byte (ties to even), for the image `I` in `framed` (see ``load(_:rows:columns:into:)``).
    /// The points' rows are `stride` long, a multiple of 8 that is at least `columns`; the points are
    /// clamped in place first, and one that is not a number reads 0.
    static func sample(_ framed: UnsafePointer<Float>, rows: Int, columns: Int, xs: UnsafeMutablePointer<Float>,
                       ys: UnsafeMutablePointer<Float>, stride: Int, into out: UnsafeMutablePointer<UInt8>) {
        precondition(stride % 8 == 0 && stride >= columns, "rows of points must be whole SIMD vectors")
        // `maximum` and `minimum` take the number over a NaN: a NaN lands on −1.
        let right = Float(columns), bottom = Float(rows)
        for i in 0..<rows * stride {
            xs[i] = Float.minimum(Float.maximum(xs[i], -1), right)
            ys[i] = Float.minimum(Float.maximum(ys[i], -1), bottom)
        }
        let width = Int32(columns + 3)
        for row in 0..<rows {
            var start = 0
            while start < columns {
                let offset = row * stride + start
                let x = UnsafeRawPointer(xs + offset).loadUnaligned(as: SIMD8<Float>.self)
                let y = UnsafeRawPointer(ys + offset).loadUnaligned(as: SIMD8<Float>.self)
                let x0 = x.rounded(.down), y0 = y.rounded(.down)
                let fx = x - x0, fy = y - y0
                let p = wholeNumbers(y0 + 1) &* width &+ wholeNumbers(x0 + 1)
                let topLeft = gather(framed, p), topRight = gather(framed, p &+ 1)
                let bottomLeft = gather(framed, p &+ width), bottomRight = gather(framed, p &+ (width + 1))
                let top = topLeft + fx * (topRight - topLeft)
                let below = bottomLeft + fx * (bottomRight - bottomLeft)
                // Between two bytes' values, give or take a rounding error: 0…255 once rounded.
                let value = top + fy * (below - top)
                let bytes = SIMD8<UInt8>(truncatingIfNeeded: wholeNumbers(value))
                let target = out + row * columns + start
                if columns - start >= 8 {
                    UnsafeMutableRawPointer(target).storeBytes(of: bytes, as: SIMD8<UInt8>.self)
                } else {
                    for lane in 0..<columns - start { target[lane] = bytes[lane] }
                }
                start += 8
            }
        }
    }

    /// `v` rounded to whole numbers (ties to even) as `Int32`, for `v` in `[−0.5, 2²²]`: adding 2²³ leaves
    /// the whole number in the low bits of the sum's significand. (Swift's conversion of SIMD floats
    /// to integers goes lane by lane with overflow checks; this is one addition and one subtraction.)
    @inline(__always)
    private static func wholeNumbers(_ v: SIMD8<Float>) -> SIMD8<Int32> {
        unsafeBitCast(v + 0x1p23, to: SIMD8<Int32>.self) &- 0x4B00_0000  // 0x4B00_0000: the bits of 2²³
    }

    /// `base[index[lane]]` for the eight lanes.
    @inline(__always)
    private static func gather(_ base: UnsafePointer<Float>, _ index: SIMD8<Int32>) -> SIMD8<Float> {
        var values = SIMD8<Float>()
        for lane in 0..<8 { values[lane] = base[Int(index[lane])] }
        return values
    }
}
