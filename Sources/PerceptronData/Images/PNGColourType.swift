/// How a PNG stores each pixel (the IHDR "colour type" byte), and the bit depths allowed with it.
///
///     colour type  meaning                   samples per pixel  bit depths
///     0            greyscale                 1 (grey)           1, 2, 4, 8, 16
///     2            truecolour                3 (R, G, B)        8, 16
///     3            indexed (palette)         1 (index in PLTE)  1, 2, 4, 8
///     4            greyscale with alpha      2 (grey, alpha)    8, 16
///     6            truecolour with alpha     4 (R, G, B, A)     8, 16
public enum PNGColourType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case grey = 0
    case rgb = 2
    case palette = 3
    case greyAlpha = 4
    case rgba = 6

    /// Samples per pixel.
    public var channels: Int {
        switch self {
        case .grey, .palette: 1
        case .greyAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// The bit depths (bits per sample) the PNG specification allows with this colour type.
    public var allowedBitDepths: [Int] {
        switch self {
        case .grey: [1, 2, 4, 8, 16]
        case .palette: [1, 2, 4, 8]
        case .rgb, .greyAlpha, .rgba: [8, 16]
        }
    }

    public var description: String {
        switch self {
        case .grey: "greyscale"
        case .rgb: "RGB"
        case .palette: "palette"
        case .greyAlpha: "greyscale with alpha"
        case .rgba: "RGBA"
        }
    }
}
