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
        let longer = max(width, height)
        guard longer > side, side > 0 else {
            return (GreyImage(width: width, height: height, pixels: image.pixels.map(clamped)), 1)
        }
        let factor = (longer + side - 1) / side
        let (outWidth, outHeight) = ((width + factor - 1) / factor, (height + factor - 1) / factor)
        var pixels = [Double](repeating: 0, count: outWidth * outHeight)
        var sums = [Double](repeating: 0, count: outWidth)
        for outY in 0..<outHeight {
            for index in sums.indices { sums[index] = 0 }
            let rows = outY * factor ..< min(height, (outY + 1) * factor)
            for y in rows {
                let row = y * width
                for x in 0..<width {
                    sums[x / factor] += clamped(image.pixels[row + x])
                }
            }
            for outX in 0..<outWidth {
                let columns = min(width, (outX + 1) * factor) - outX * factor
                pixels[outY * outWidth + outX] = sums[outX] / Double(columns * rows.count)
            }
        }
        return (GreyImage(width: outWidth, height: outHeight, pixels: pixels), factor)
    }
}
