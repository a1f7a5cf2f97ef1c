extension DigitPreprocessing {
    /// The longest side the photo steps work at: 1024 pixels. A digit needs far fewer (it ends up
    /// 20 pixels high), and a 12-megapixel photo held as `Double`s at full size would take 96 MB.
    public static let workingSide = 1024

    /// `image` shrunk by the whole factor k = ⌈longer side / `side`⌉ when its longer side exceeds
    /// `side`, else as it is (k = 1); intensities clamped to [0, 1], NaN as 0.
    ///
    /// Pixel (x, y) of the result is the mean of the source block of k × k pixels
    /// [k·x, k·x + k) × [k·y, k·y + k); blocks at the right and bottom edges may be cut short by
    /// the image's edge and are then the mean of the pixels they hold. The result is
    /// ⌈width / k⌉ × ⌈height / k⌉.
    public static func reduced(_ image: GreyImage, toAtMost side: Int) -> (image: GreyImage, factor: Int) {
        let (width, height) = (image.width, image.height)
        let factor = AreaReduction.factor(width: width, height: height, toAtMost: side)
        guard factor > 1 else {
            return (GreyImage(width: width, height: height, pixels: image.pixels.map(clamped)), 1)
        }
        var reduction = AreaReduction(width: width, height: height, factor: factor)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height { reduction.add(row: UnsafeBufferPointer(rebasing: pixels[y * width ..< (y + 1) * width])) }
        }
        return (reduction.image, factor)
    }
}

/// `reduced(_:toAtMost:)` as the rows of an image arrive, top to bottom: only the sums of the
/// block row under way and the result are held, so a decoder can shrink a picture far larger than
/// the result without ever holding it whole (``PNGDecoder`` does).
struct AreaReduction {
    let width, height, factor: Int
    /// The result so far, ⌈width / k⌉ × ⌈height / k⌉, complete once every row was added.
    private(set) var pixels: [Double]
    private var sums: [Double]
    private var rowsAdded = 0

    /// The whole factor k = ⌈longer side / `side`⌉ that brings the longer side to at most `side`
    /// (1 when it is already, or `side` is not positive).
    static func factor(width: Int, height: Int, toAtMost side: Int) -> Int {
        let longer = max(width, height)
        return longer > side && side > 0 ? (longer + side - 1) / side : 1
    }

    init(width: Int, height: Int, factor: Int) {
        (self.width, self.height, self.factor) = (width, height, factor)
        let outWidth = (width + factor - 1) / factor
        pixels = [Double](repeating: 0, count: outWidth * ((height + factor - 1) / factor))
        sums = [Double](repeating: 0, count: outWidth)
    }

    /// Adds the next row (`width` intensities, clamped to [0, 1] here, NaN as 0); at the last row of
    /// a block row, writes that row of the result: each block's mean.
    mutating func add(row: UnsafeBufferPointer<Double>) {
        precondition(row.count == width && rowsAdded < height, "a row of \(row.count) pixels for \(width) × \(height)")
        for x in 0..<width { sums[x / factor] += DigitPreprocessing.clamped(row[x]) }
        rowsAdded += 1
        guard rowsAdded % factor == 0 || rowsAdded == height else { return }
        let outY = (rowsAdded - 1) / factor
        let rows = rowsAdded - outY * factor
        for outX in sums.indices {
            let columns = min(width, (outX + 1) * factor) - outX * factor
            pixels[outY * sums.count + outX] = sums[outX] / Double(columns * rows)
            sums[outX] = 0
        }
    }

    /// The result: ⌈width / k⌉ × ⌈height / k⌉ (rows not added are 0).
    var image: GreyImage { GreyImage(width: sums.count, height: pixels.count / max(sums.count, 1), pixels: pixels) }
}
