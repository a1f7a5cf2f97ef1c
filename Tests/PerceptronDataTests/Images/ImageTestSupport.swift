import Foundation
import PerceptronData

/// Scanlines for `PNGEncoder.encode(header:scanlines:)` with PNG filters applied, written
/// independently of the decoder: row r of `raw` (each `rowBytes` long) is filtered with filter
/// type `types[r % types.count]`, and each filtered byte is x − predictor (mod 256) with a = the
/// byte `stride` to the left, b = the byte above, c = the byte above-left (0 outside the image).
func filteredScanlines(_ raw: [UInt8], rowBytes: Int, stride: Int, types: [UInt8]) -> [UInt8] {
    let rows = raw.count / rowBytes
    var result: [UInt8] = []
    for r in 0..<rows {
        let type = types[r % types.count]
        result.append(type)
        for i in 0..<rowBytes {
            let x = Int(raw[r * rowBytes + i])
            let a = i >= stride ? Int(raw[r * rowBytes + i - stride]) : 0
            let b = r > 0 ? Int(raw[(r - 1) * rowBytes + i]) : 0
            let c = r > 0 && i >= stride ? Int(raw[(r - 1) * rowBytes + i - stride]) : 0
            let predictor: Int
            switch type {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            case 4:
                let p = a + b - c
                let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
            default: fatalError("filter type \(type) does not exist")
            }
            result.append(UInt8((x - predictor + 256) % 256))
        }
    }
    return result
}

/// The filtered scanlines of one Adam7 pass (`pass` 0 … 6) of an image, or of the whole image when
/// `pass` is nil, written independently of the decoder. `values` holds the image's samples row by
/// row, pixel by pixel (bytes of 16-bit samples big-endian, samples of 1 bit as 0 or 1). Pass p
/// holds the pixels (x₀ + i·dx, y₀ + j·dy) for (x₀, y₀, dx, dy) = (0,0,8,8), (4,0,8,8), (0,4,4,8),
/// (2,0,4,4), (0,2,2,4), (1,0,2,2), (0,1,1,2); its rows are packed as a row of an image of its
/// size and filtered with the filter types 0 … 4 in turn; an empty pass has no scanlines.
func adam7Pass(_ values: [UInt8], header: PNGHeader, pass: Int?) -> [UInt8] {
    let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    let (x0, y0, dx, dy) = pass.map { passes[$0] } ?? (0, 0, 1, 1)
    let bytesPerPixel = header.bitDepth == 1 ? 1 : header.bitsPerPixel / 8
    let columns = stride(from: x0, to: header.width, by: dx).map { $0 }
    let rows = stride(from: y0, to: header.height, by: dy).map { $0 }
    guard !columns.isEmpty, !rows.isEmpty else { return [] }
    var raw: [UInt8] = []
    for y in rows {
        let pixels = columns.flatMap { x in values[(y * header.width + x) * bytesPerPixel ..< (y * header.width + x + 1) * bytesPerPixel] }
        if header.bitDepth == 1 {
            var packed = [UInt8](repeating: 0, count: (pixels.count + 7) / 8)
            for (index, bit) in pixels.enumerated() where bit != 0 { packed[index / 8] |= 0x80 >> UInt8(index % 8) }
            raw += packed
        } else {
            raw += pixels
        }
    }
    let rowBytes = raw.count / rows.count
    return filteredScanlines(raw, rowBytes: rowBytes, stride: max(1, bytesPerPixel), types: [0, 1, 2, 3, 4])
}

/// Deterministic pseudo-random bytes (a linear congruential generator), so tests are repeatable.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// Bytes in which long runs repeat with small changes, so that Sub/Up/Average/Paeth matter.
func smoothBytes(width: Int, height: Int, channels: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for y in 0..<height {
        for x in 0..<width {
            for c in 0..<channels {
                bytes.append(UInt8(truncatingIfNeeded: x * 7 + y * 13 + c * 50 + (x * y) % 11))
            }
        }
    }
    return bytes
}

/// The Pearson correlation of two equally long series (0 if either is constant).
func correlation(_ first: [Double], _ second: [Double]) -> Double {
    let count = Double(first.count)
    let (meanA, meanB) = (first.reduce(0, +) / count, second.reduce(0, +) / count)
    var (covariance, varianceA, varianceB) = (0.0, 0.0, 0.0)
    for (a, b) in zip(first, second) {
        covariance += (a - meanA) * (b - meanB)
        varianceA += (a - meanA) * (a - meanA)
        varianceB += (b - meanB) * (b - meanB)
    }
    guard varianceA > 0, varianceB > 0 else { return 0 }
    return covariance / (varianceA * varianceB).squareRoot()
}

func correlation(_ first: [UInt8], _ second: [UInt8]) -> Double {
    correlation(first.map(Double.init), second.map(Double.init))
}

/// The centre of mass of a 28 × 28 byte image in pixel indices.
func centreOfMass(_ bytes: [UInt8], side: Int = 28) -> (x: Double, y: Double) {
    var (mass, sumX, sumY) = (0.0, 0.0, 0.0)
    for (index, byte) in bytes.enumerated() {
        mass += Double(byte)
        sumX += Double(byte) * Double(index % side)
        sumY += Double(byte) * Double(index / side)
    }
    return (sumX / mass, sumY / mass)
}

/// A digit drawn with a pen: a shape in "digit units" (MNIST pixels), rendered by supersampling.
struct SyntheticDigit: Sendable {
    /// Whether the point (u, v) of the digit's plane is inked.
    let inked: @Sendable (Double, Double) -> Bool

    /// A "0" as MNIST has it, in 28 × 28 coordinates (pixel (i, j) spans [i, i + 1) × [j, j + 1)):
    /// an elliptical ring whose outer edge spans exactly columns 7 ... 20 and rows 4 ... 23, so
    /// its box is 20 pixels high, with the stroke heavier at the bottom right as a pen leaves it,
    /// which puts the centre of mass near (14, 14) but not on a rounding tie.
    static let zero = SyntheticDigit { u, v in
        let outer = pow((u - 14) / 7, 2) + pow((v - 14) / 10, 2) <= 1
        let inner = pow((u - 13.4) / 4.2, 2) + pow((v - 13.3) / 7.0, 2) <= 1
        return outer && !inner
    }

    /// The ink coverage (0 ... 1) of each pixel of a `width × height` canvas on which the digit
    /// is drawn `scale` times larger with its point (0, 0) at canvas point (`originX`, `originY`).
    func render(width: Int, height: Int, scale: Double, originX: Double, originY: Double, samples: Int = 4) -> [Double] {
        var coverage = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var hits = 0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let px = Double(x) + (Double(sx) + 0.5) / Double(samples)
                        let py = Double(y) + (Double(sy) + 0.5) / Double(samples)
                        if inked((px - originX) / scale, (py - originY) / scale) { hits += 1 }
                    }
                }
                coverage[y * width + x] = Double(hits) / Double(samples * samples)
            }
        }
        return coverage
    }

    /// The digit as MNIST bytes (0 background, 255 ink) on 28 × 28.
    var mnistBytes: [UInt8] {
        render(width: 28, height: 28, scale: 1, originX: 0, originY: 0).map { UInt8(($0 * 255).rounded()) }
    }
}

/// `count` 28 × 28 bytes of the MNIST image file `url`, from image `first` on, or nil if absent.
func mnistImages(_ url: URL, first: Int = 0, count: Int) -> [[UInt8]]? {
    guard let images = try? IDXReader.readImages(from: url) else { return nil }
    return (first ..< min(images.count, first + count)).map { index in
        Array(images.pixels[index * 784 ..< (index + 1) * 784])
    }
}

/// Draws the 28 × 28 MNIST `bytes` `scale` times larger (bilinear between pixel centres) as dark
/// ink on white onto a `width × height` canvas, the digit's top-left at (`left`, `top`).
func drawDarkOnLight(_ bytes: [UInt8], scale: Int, width: Int, height: Int, left: Int, top: Int) -> [UInt8] {
    var canvas = [UInt8](repeating: 255, count: width * height)
    let side = 28 * scale
    func ink(_ x: Int, _ y: Int) -> Double {
        guard (0..<28).contains(x), (0..<28).contains(y) else { return 0 }
        return Double(bytes[y * 28 + x]) / 255
    }
    for y in 0..<side {
        for x in 0..<side {
            let u = (Double(x) + 0.5) / Double(scale) - 0.5
            let v = (Double(y) + 0.5) / Double(scale) - 0.5
            let (x0, y0) = (Int(u.rounded(.down)), Int(v.rounded(.down)))
            let (fx, fy) = (u - Double(x0), v - Double(y0))
            let value = (ink(x0, y0) * (1 - fx) + ink(x0 + 1, y0) * fx) * (1 - fy)
                + (ink(x0, y0 + 1) * (1 - fx) + ink(x0 + 1, y0 + 1) * fx) * fy
            let (cx, cy) = (left + x, top + y)
            guard (0..<width).contains(cx), (0..<height).contains(cy) else { continue }
            canvas[cy * width + cx] = UInt8(((1 - value) * 255).rounded())
        }
    }
    return canvas
}
