import Foundation

/// Reads uncompressed BMP files (Windows bitmaps, what Paint saves) as `GreyImage`s.
///
/// ## Format
///
/// All fields are little-endian. The 14-byte file header:
///
///     offset  size  field
///     0       2     "BM"
///     2       4     file size (not relied on)
///     6       4     reserved
///     10      4     offset of the pixel data from the start of the file
///
/// then an information header whose first 4 bytes give its size: 12 (OS/2 `BITMAPCOREHEADER`:
/// width and height as 2-byte fields, planes, bits per pixel) or 40 and more (`BITMAPINFOHEADER`
/// and its extensions V2–V5, 52 to 124 bytes):
///
///     offset  size  field
///     14      4     header size
///     18      4     width, > 0
///     22      4     height: > 0 rows stored bottom-up, < 0 top-down
///     26      2     planes, 1
///     28      2     bits per pixel: 1, 4, 8 (palette), 16, 24 or 32
///     30      4     compression: 0 none, 3 (or 6) bit fields; RLE and embedded JPEG/PNG are refused
///     46      4     palette entries (0: 2^bits)
///     54      …     the red, green and blue bit masks for bit fields (inside a header of 52 bytes
///                   or more, else just after the 40-byte header)
///
/// A palette (bits ≤ 8) follows the information header, 4 bytes per entry (blue, green, red, 0),
/// or 3 for the 12-byte header. Each row of pixels is padded to a multiple of 4 bytes. Pixels of
/// 24 bits are blue, green, red; of 32 bits without masks blue, green, red and an unused byte; of
/// 16 bits without masks 5 bits each of red, green and blue (x1r5g5b5); with bit masks each
/// channel is its mask's bits, scaled to 0…1.
///
/// ## Conversion to grey
///
/// As for PNG: luma 0.299 R + 0.587 G + 0.114 B (see `PNGGreyConverter`). Alpha is ignored (a BMP
/// is opaque in practice, and many writers leave the alpha byte 0). Sizes above
/// `GreyImage.maximumSide` are refused, and the whole pixel data must be in the file.
public enum BMPDecoder {
    /// The first two bytes of every BMP file.
    public static let signature: [UInt8] = Array("BM".utf8)

    /// Reads the BMP file at `url`.
    public static func read(url: URL) throws -> GreyImage {
        try decode(FileBytes.read(url), path: url.path)
    }

    /// Decodes the bytes of a BMP file. `path` names the file in error messages.
    public static func decode(_ bytes: [UInt8], path: String) throws -> GreyImage {
        guard bytes.starts(with: signature) else {
            throw BMPError.notBMP(path: path, found: Array(bytes.prefix(12)))
        }
        guard bytes.count >= 18 else { throw BMPError.truncated(path: path, expected: "the file and information headers", found: bytes.count) }
        let dataOffset = Int(uint32(bytes, 10))
        let headerSize = Int(uint32(bytes, 14))
        guard headerSize == 12 || (40...124).contains(headerSize) else {
            throw BMPError.unsupported(path: path, what: "an information header of \(headerSize) bytes (expected 12, or 40 to 124)")
        }
        guard bytes.count >= 14 + headerSize else {
            throw BMPError.truncated(path: path, expected: "the \(headerSize)-byte information header", found: bytes.count)
        }

        let core = headerSize == 12
        let width = core ? Int(uint16(bytes, 18)) : Int(Int32(bitPattern: uint32(bytes, 18)))
        let rawHeight = core ? Int(uint16(bytes, 20)) : Int(Int32(bitPattern: uint32(bytes, 22)))
        let bits = Int(uint16(bytes, core ? 24 : 28))
        let compression = core ? 0 : uint32(bytes, 30)
        let topDown = rawHeight < 0
        let height = abs(rawHeight)
        guard width > 0, height > 0 else {
            throw BMPError.badHeader(path: path, reason: "the size \(width)×\(rawHeight) holds no pixels")
        }
        guard width <= GreyImage.maximumSide, height <= GreyImage.maximumSide else {
            throw BMPError.tooLarge(path: path, width: width, height: height, limit: GreyImage.maximumSide)
        }
        guard [1, 4, 8, 16, 24, 32].contains(bits) else {
            throw BMPError.unsupported(path: path, what: "\(bits) bits per pixel (expected 1, 4, 8, 16, 24 or 32)")
        }

        let masks: (red: UInt32, green: UInt32, blue: UInt32)?
        switch compression {
        case 0:
            masks = bits == 16 ? (0x7C00, 0x03E0, 0x001F) : nil
        case 3, 6:
            guard bits == 16 || bits == 32 else {
                throw BMPError.unsupported(path: path, what: "bit-field masks with \(bits) bits per pixel (expected 16 or 32)")
            }
            guard bytes.count >= 14 + 40 + 12 else {
                throw BMPError.truncated(path: path, expected: "the colour masks", found: bytes.count)
            }
            masks = (uint32(bytes, 54), uint32(bytes, 58), uint32(bytes, 62))
        default:
            throw BMPError.unsupported(path: path, what: "compression method \(compression) (RLE, or an embedded JPEG or PNG; expected 0, uncompressed)")
        }

        var palette: [Double] = []
        if bits <= 8 {
            let entrySize = core ? 3 : 4
            let declared = core ? 0 : Int(uint32(bytes, 46))
            let entries = declared == 0 || declared > 1 << bits ? 1 << bits : declared
            let start = 14 + headerSize
            let available = max(0, (min(dataOffset, bytes.count) - start) / entrySize)
            palette = (0 ..< min(entries, available)).map { entry in
                let at = start + entry * entrySize
                return PNGGreyConverter.luma(Int(bytes[at + 2]), Int(bytes[at + 1]), Int(bytes[at]), maximum: 255)
            }
            guard !palette.isEmpty else { throw BMPError.badHeader(path: path, reason: "the palette is missing") }
        }

        let rowBytes = (width * bits + 31) / 32 * 4
        let (needed, overflow) = rowBytes.multipliedReportingOverflow(by: height)
        guard !overflow, dataOffset >= 14 + headerSize, dataOffset <= bytes.count, bytes.count - dataOffset >= needed else {
            throw BMPError.truncated(path: path, expected: "\(height) rows of \(rowBytes) bytes from byte \(dataOffset)",
                                     found: bytes.count)
        }

        let channel = masks.map { masks in [ChannelMask(masks.red), ChannelMask(masks.green), ChannelMask(masks.blue)] }
        var pixels = [Double](repeating: 0, count: width * height)
        for row in 0..<height {
            let start = dataOffset + row * rowBytes
            let y = topDown ? row : height - 1 - row
            for x in 0..<width {
                let grey: Double
                switch bits {
                case 1, 4, 8:
                    let bit = x * bits
                    let index = Int(bytes[start + bit / 8] >> (8 - bits - bit % 8)) & (1 << bits - 1)
                    guard index < palette.count else {
                        throw BMPError.badHeader(path: path, reason: "a pixel in row \(y) uses palette entry \(index), but the palette has \(palette.count)")
                    }
                    grey = palette[index]
                case 24:
                    let at = start + 3 * x
                    grey = PNGGreyConverter.luma(Int(bytes[at + 2]), Int(bytes[at + 1]), Int(bytes[at]), maximum: 255)
                default:  // 16 or 32 bits
                    let at = start + bits / 8 * x
                    let value = bits == 16 ? UInt32(uint16(bytes, at)) : uint32(bytes, at)
                    if let channel {
                        grey = min(1, PNGGreyConverter.redWeight * channel[0].value(value) + PNGGreyConverter.greenWeight * channel[1].value(value)
                            + PNGGreyConverter.blueWeight * channel[2].value(value))
                    } else {
                        grey = PNGGreyConverter.luma(Int(bytes[at + 2]), Int(bytes[at + 1]), Int(bytes[at]), maximum: 255)
                    }
                }
                pixels[y * width + x] = grey
            }
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    /// One channel of a bit-field pixel: the bits of `mask`, shifted down and scaled to 0…1.
    struct ChannelMask {
        let mask: UInt32
        let shift: UInt32
        let maximum: Double

        init(_ mask: UInt32) {
            self.mask = mask
            shift = mask == 0 ? 0 : UInt32(mask.trailingZeroBitCount)
            maximum = Double(mask >> shift)
        }

        /// The channel's value in `pixel`, in [0, 1]; 0 for an empty mask.
        func value(_ pixel: UInt32) -> Double {
            maximum > 0 ? Double((pixel & mask) >> shift) / maximum : 0
        }
    }

    /// The little-endian 16-bit value at `offset` (the caller checks that it is there).
    static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    /// The little-endian 32-bit value at `offset` (the caller checks that it is there).
    static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(uint16(bytes, offset)) | UInt32(uint16(bytes, offset + 2)) << 16
    }
}
