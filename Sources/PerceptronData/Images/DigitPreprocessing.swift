/// Turns a picture of one handwritten digit into a network input the way MNIST's digits were made,
/// so that a network trained on MNIST sees the user's digit as it saw its training data.
///
/// LeCun et al. describe MNIST's digits as "size normalized to fit in a 20×20 pixel box while
/// preserving their aspect ratio", grey levels coming from "the anti-aliasing technique used by the
/// normalization algorithm", and "centered in a 28×28 image by computing the center of mass of the
/// pixels, and translating the image so as to position this point at the center of the 28×28
/// field". `mnistInput(from:)` does the same to any `GreyImage`, in these steps:
///
/// 1. **Ink.** The background level `b` is the median intensity of the border pixels (the outermost
///    rows and columns), so a digit touching an edge does not sway it. If `b ≥ 0.5` the background
///    is light and the ink of a pixel of intensity `v` is `b − v` (dark ink on paper); otherwise it
///    is `v − b` (light ink on black, as MNIST's IDX files are read); negative values become 0.
///    Ink is then divided by its maximum, so the strongest stroke is 1 whatever the contrast of the
///    photo, and values below `inkThreshold` (0.1) are set to 0, removing paper texture and noise.
///    A picture whose maximum ink is below `minimumContrast` (0.1) holds no digit.
/// 2. **Crop** to the bounding box of the pixels with ink. No ink gives an all-zero result.
/// 3. **Scale** the box so that its longer side is `boxSide` (20) pixels, keeping the aspect ratio:
///    with scale s = 20 / longer side, a box of w × h becomes about s·w × s·h pixels (at least 1).
///    Shrinking (s < 1) averages over areas: each new pixel is the mean ink of the 1/s × 1/s square
///    of the source it covers, weighting partly covered source pixels by the part covered (a box
///    filter, which anti-aliases); the shorter side becomes ⌈s·w⌉ pixels, and the part of its last
///    pixel beyond the box counts as no ink. Enlarging (s > 1) interpolates bilinearly between
///    source pixel centres, clamping at the edges; the shorter side becomes round(s·w) pixels.
///    Afterwards the ink is divided by its maximum again, so that thin strokes thinned further by
///    averaging still reach full ink, as nearly all MNIST digits do.
/// 4. **Centre.** The centre of mass (x̄, ȳ) = (Σ ink·x, Σ ink·y) / Σ ink of the scaled digit, in
///    pixel indices, is moved to the pixel (`centre`, `centre`) = (14, 14) of the 28 × 28 result:
///    the digit's top-left pixel goes to (round(14 − x̄), round(14 − ȳ)), rounding halves away from
///    zero, and any part shifted past the edge is cut off. (14, 14) in pixel indices — the middle
///    of the 28-pixel field is 13.5 — is where MNIST's digits have it: over its 10,000 test digits
///    the mean centre of mass is (14.01, 13.99).
/// 5. **Quantise** each ink value to a byte, round(255 · ink): 0 background, 255 full ink, as in
///    MNIST's files and `LabeledImages`.
///
/// The function is deterministic, never traps (an image whose pixel count does not match its size,
/// or with NaN pixels, is handled as described in `steps(from:)`), and allocates only small
/// buffers besides reading the image: the border for the median, the scaled digit and the result.
///
/// These steps assume a clean picture: ink on an even background, nothing else. A photo first goes
/// through ``clean(_:)``, which evens out the light, finds the ink with Otsu's threshold and drops
/// page edges, shadows and frames; ``networkInput(from:)`` does both (a picture of at most 28 × 28,
/// the digit alone, is not cleaned), and ``prepare(_:)`` shows every step.
public enum DigitPreprocessing {
    /// The side of the result, 28 pixels.
    public static let side = 28
    /// The side of the box the digit is scaled to fit, 20 pixels.
    public static let boxSide = 20
    /// Where the centre of mass goes, in pixel indices of the result (both x and y).
    public static let centre = 14.0
    /// Ink below this (after dividing by the maximum ink) is taken as background.
    public static let inkThreshold = 0.1
    /// The least difference between the background and the strongest ink for a digit to be there.
    public static let minimumContrast = 0.1

    /// The 28 × 28 = 784 bytes MNIST would have made of the digit in `image`, row-major,
    /// 0 = background and 255 = full ink.
    public static func mnistInput(from image: GreyImage) -> [UInt8] {
        steps(from: image).output
    }

    /// A rectangle of pixels: columns `x ..< x + width`, rows `y ..< y + height`.
    public struct PixelBox: Sendable, Equatable {
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int

        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// What each step of `mnistInput(from:)` found or made, for tests and for showing the steps.
    public struct Steps: Sendable, Equatable {
        /// The median intensity of the border pixels (step 1).
        public var background: Double
        /// Whether the background was taken as light, so that ink is dark (step 1).
        public var lightBackground: Bool
        /// The bounding box of the ink in the image (step 2), nil if the image holds no digit.
        public var inkBox: PixelBox?
        /// The digit scaled to fit the 20 × 20 box (step 3): ink in [0, 1], row-major.
        public var scaledWidth: Int
        public var scaledHeight: Int
        public var scaledInk: [Double]
        /// The scaled digit's centre of mass in its own pixel indices (step 4).
        public var centreOfMassX: Double
        public var centreOfMassY: Double
        /// Where the scaled digit's top-left pixel went in the result (step 4).
        public var offsetX: Int
        public var offsetY: Int
        /// The result: 784 bytes, 0 background, 255 full ink (step 5).
        public var output: [UInt8]

        /// The steps for a picture without a digit: everything empty, an all-zero result.
        static func blank(background: Double, lightBackground: Bool) -> Steps {
            Steps(background: background, lightBackground: lightBackground, inkBox: nil,
                  scaledWidth: 0, scaledHeight: 0, scaledInk: [],
                  centreOfMassX: 0, centreOfMassY: 0, offsetX: 0, offsetY: 0,
                  output: [UInt8](repeating: 0, count: side * side))
        }
    }

    /// `mnistInput(from:)` with its intermediate results.
    ///
    /// An image with no pixels, or whose `pixels` do not number `width × height` (the array is
    /// mutable, so this can happen), holds no digit. Intensities outside [0, 1] are clamped and NaN
    /// counts as 0.
    public static func steps(from image: GreyImage) -> Steps {
        let (width, height) = (image.width, image.height)
        guard width > 0, height > 0, image.pixels.count == width * height else {
            return .blank(background: 0, lightBackground: false)
        }

        // 1. Ink: background from the border, polarity, normalised contrast.
        let background = borderMedian(image)
        let light = background >= 0.5
        var reader = InkReader(pixels: image.pixels, background: background, light: light, scale: 1)
        var strongest = 0.0
        for index in image.pixels.indices {
            strongest = max(strongest, reader.rawInk(at: index))
        }
        guard strongest >= minimumContrast else { return .blank(background: background, lightBackground: light) }
        reader.scale = 1 / strongest

        // 2. Crop to the ink's bounding box.
        var (left, right, top, bottom) = (width, -1, height, -1)
        for y in 0..<height {
            for x in 0..<width where reader.ink(at: y * width + x) > 0 {
                left = min(left, x)
                right = max(right, x)
                top = min(top, y)
                bottom = max(bottom, y)
            }
        }
        guard right >= left, bottom >= top else { return .blank(background: background, lightBackground: light) }
        let box = PixelBox(x: left, y: top, width: right - left + 1, height: bottom - top + 1)

        // 3. Scale the longer side to 20 pixels.
        var scaled = scale(box, of: image, reader: reader)
        let scaledPeak = scaled.ink.max() ?? 0
        guard scaledPeak > 0 else { return .blank(background: background, lightBackground: light) }
        for index in scaled.ink.indices {
            scaled.ink[index] /= scaledPeak
        }

        // 4. Centre the centre of mass at (14, 14).
        var (mass, sumX, sumY) = (0.0, 0.0, 0.0)
        for y in 0..<scaled.height {
            for x in 0..<scaled.width {
                let ink = scaled.ink[y * scaled.width + x]
                mass += ink
                sumX += ink * Double(x)
                sumY += ink * Double(y)
            }
        }
        let (centreX, centreY) = (sumX / mass, sumY / mass)
        let offsetX = Int((centre - centreX).rounded())
        let offsetY = Int((centre - centreY).rounded())

        // 5. Place and quantise.
        var output = [UInt8](repeating: 0, count: side * side)
        for y in 0..<scaled.height {
            let targetY = y + offsetY
            guard (0..<side).contains(targetY) else { continue }
            for x in 0..<scaled.width {
                let targetX = x + offsetX
                guard (0..<side).contains(targetX) else { continue }
                output[targetY * side + targetX] = GreyImage.byte(scaled.ink[y * scaled.width + x])
            }
        }
        return Steps(background: background, lightBackground: light, inkBox: box,
                     scaledWidth: scaled.width, scaledHeight: scaled.height, scaledInk: scaled.ink,
                     centreOfMassX: centreX, centreOfMassY: centreY, offsetX: offsetX, offsetY: offsetY,
                     output: output)
    }

    /// The ink of the image's pixels, computed as needed rather than stored (step 1).
    struct InkReader {
        let pixels: [Double]
        let background: Double
        let light: Bool
        /// 1 / the strongest raw ink.
        var scale: Double

        /// Ink before normalising: how much darker (light background) or lighter (dark background)
        /// than the background the pixel is, at least 0.
        @inline(__always)
        func rawInk(at index: Int) -> Double {
            let value = DigitPreprocessing.clamped(pixels[index])
            return max(0, light ? background - value : value - background)
        }

        /// Ink normalised to a maximum of 1, with values below `inkThreshold` set to 0.
        @inline(__always)
        func ink(at index: Int) -> Double {
            let ink = min(1, rawInk(at: index) * scale)
            return ink < inkThreshold ? 0 : ink
        }
    }

    /// A small image of ink values.
    struct InkPlane {
        var width: Int
        var height: Int
        var ink: [Double]
    }

    /// The ink in `box` scaled so that its longer side is `boxSide` pixels (step 3).
    static func scale(_ box: PixelBox, of image: GreyImage, reader: InkReader) -> InkPlane {
        let longer = max(box.width, box.height)
        let inkAt = { (x: Int, y: Int) in reader.ink(at: (box.y + y) * image.width + box.x + x) }

        if longer == boxSide {
            var ink = [Double](repeating: 0, count: box.width * box.height)
            for y in 0..<box.height {
                for x in 0..<box.width {
                    ink[y * box.width + x] = inkAt(x, y)
                }
            }
            return InkPlane(width: box.width, height: box.height, ink: ink)
        }

        if longer > boxSide {
            // Box filter: output pixel o covers source [o·step, (o + 1)·step) on each axis.
            let step = Double(longer) / Double(boxSide)
            let columns = coverage(source: box.width, output: (box.width * boxSide + longer - 1) / longer, step: step)
            let rows = coverage(source: box.height, output: (box.height * boxSide + longer - 1) / longer, step: step)
            // Across each source row first, then down the columns.
            var across = [Double](repeating: 0, count: box.height * columns.count)
            for y in 0..<box.height {
                for (column, weights) in columns.enumerated() {
                    var sum = 0.0
                    for (offset, weight) in weights.weights.enumerated() {
                        sum += weight * inkAt(weights.first + offset, y)
                    }
                    across[y * columns.count + column] = sum
                }
            }
            var ink = [Double](repeating: 0, count: rows.count * columns.count)
            let area = step * step
            for (row, weights) in rows.enumerated() {
                for column in 0..<columns.count {
                    var sum = 0.0
                    for (offset, weight) in weights.weights.enumerated() {
                        sum += weight * across[(weights.first + offset) * columns.count + column]
                    }
                    ink[row * columns.count + column] = sum / area
                }
            }
            return InkPlane(width: columns.count, height: rows.count, ink: ink)
        }

        // Bilinear: output pixel centre o + 0.5 is source position (o + 0.5) / s − 0.5.
        let s = Double(boxSide) / Double(longer)
        let width = max(1, (2 * box.width * boxSide + longer) / (2 * longer))  // round(w · s)
        let height = max(1, (2 * box.height * boxSide + longer) / (2 * longer))
        var ink = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            let (y0, y1, fy) = bilinearNeighbours((Double(y) + 0.5) / s - 0.5, count: box.height)
            for x in 0..<width {
                let (x0, x1, fx) = bilinearNeighbours((Double(x) + 0.5) / s - 0.5, count: box.width)
                let upper = inkAt(x0, y0) * (1 - fx) + inkAt(x1, y0) * fx
                let lower = inkAt(x0, y1) * (1 - fx) + inkAt(x1, y1) * fx
                ink[y * width + x] = upper * (1 - fy) + lower * fy
            }
        }
        return InkPlane(width: width, height: height, ink: ink)
    }

    /// For each of `output` pixels on one axis, the source pixels it covers and by how much: output
    /// pixel o spans source [o·step, (o + 1)·step); source pixel i spans [i, i + 1); the weight is
    /// the length of the overlap. Source pixels beyond `source` do not exist (no ink).
    static func coverage(source: Int, output: Int, step: Double) -> [(first: Int, weights: [Double])] {
        (0..<output).map { o in
            let (low, high) = (Double(o) * step, Double(o + 1) * step)
            let first = min(source, Int(low.rounded(.down)))
            let last = min(source, Int(high.rounded(.up)))
            let weights = (first..<max(first, last)).map { i in
                max(0, min(high, Double(i + 1)) - max(low, Double(i)))
            }
            return (first, weights)
        }
    }

    /// The two source pixels around `position` on an axis of `count` pixels, clamped to the edges,
    /// and the weight of the second.
    static func bilinearNeighbours(_ position: Double, count: Int) -> (Int, Int, Double) {
        let clampedPosition = min(max(position, 0), Double(count - 1))
        let first = Int(clampedPosition.rounded(.down))
        let second = min(first + 1, count - 1)
        return (first, second, clampedPosition - Double(first))
    }

    /// The median intensity of the outermost rows and columns (each pixel once).
    static func borderMedian(_ image: GreyImage) -> Double {
        let (width, height) = (image.width, image.height)
        var border: [Double] = []
        border.reserveCapacity(2 * (width + height))
        for x in 0..<width {
            border.append(clamped(image.pixels[x]))
            if height > 1 { border.append(clamped(image.pixels[(height - 1) * width + x])) }
        }
        if height > 2 {
            for y in 1 ..< height - 1 {
                border.append(clamped(image.pixels[y * width]))
                if width > 1 { border.append(clamped(image.pixels[y * width + width - 1])) }
            }
        }
        border.sort()
        let middle = border.count / 2
        return border.count % 2 == 1 ? border[middle] : (border[middle - 1] + border[middle]) / 2
    }

    /// `value` clamped to [0, 1], NaN as 0.
    @inline(__always)
    static func clamped(_ value: Double) -> Double {
        value > 0 ? min(value, 1) : 0
    }
}
