/// A greyscale picture as it looks: `width × height` intensities, row by row from the top left,
/// each in [0, 1] where 0 is black and 1 is white.
///
/// This is how a photo, a scan or a drawing is held after decoding, whatever its file format:
/// colour is reduced to luma and transparency is composited over white (see `PNGDecoder`).
/// MNIST images, whose bytes are ink on a black background, become light-on-dark images:
/// background 0 (black), full ink 1 (white) — see `ImageFile`. `DigitPreprocessing` works out
/// which way round an image is.
public struct GreyImage: Sendable, Equatable {
    /// The largest width or height any image reader accepts: 8192 pixels. A header claiming more
    /// is rejected before anything is allocated for it (an 8192 × 8192 image already takes 512 MiB).
    public static let maximumSide = 8192

    public let width: Int
    public let height: Int
    /// `width × height` intensities in [0, 1], row-major: pixel (x, y) is `pixels[y * width + x]`.
    public var pixels: [Double]

    /// An image of `width × height` pixels; `pixels` must hold exactly `width × height` values.
    public init(width: Int, height: Int, pixels: [Double]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "an image of \(width)×\(height) needs \(width * height) pixels, not \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image of `width × height` pixels all of intensity `value`.
    public init(width: Int, height: Int, filledWith value: Double) {
        self.init(width: width, height: height, pixels: [Double](repeating: value, count: width * height))
    }

    /// An image from bytes, 0 = black and 255 = white (intensity `byte / 255`).
    public init(width: Int, height: Int, bytes: [UInt8]) {
        self.init(width: width, height: height, pixels: bytes.map { Double($0) / 255 })
    }

    /// The intensity of pixel (x, y); both must be inside the image.
    public subscript(x: Int, y: Int) -> Double {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The pixels as bytes, 0 = black and 255 = white: `round(255 × intensity)`, with values
    /// outside [0, 1] clamped and NaN taken as 0.
    public var bytes: [UInt8] {
        pixels.map(Self.byte)
    }

    /// The same picture with black and white swapped (intensity `1 − v`).
    public var inverted: GreyImage {
        GreyImage(width: width, height: height, pixels: pixels.map { 1 - $0 })
    }

    /// `round(255 × value)` clamped to 0...255; NaN gives 0.
    static func byte(_ value: Double) -> UInt8 {
        guard value > 0 else { return 0 }  // also NaN
        guard value < 1 else { return 255 }
        return UInt8((value * 255).rounded())
    }
}
