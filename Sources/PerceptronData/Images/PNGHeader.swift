/// The contents of a PNG's IHDR chunk, which describes the image.
///
/// The chunk's data is 13 bytes:
///
///     offset  size  field
///     0       4     width in pixels, big-endian, 1 ... 2³¹ − 1
///     4       4     height in pixels, likewise
///     8       1     bit depth: bits per sample (or per palette index)
///     9       1     colour type (see `PNGColourType`)
///     10      1     compression method: 0 (zlib deflate) is the only one defined
///     11      1     filter method: 0 (the five adaptive filter types) is the only one defined
///     12      1     interlace method: 0 none, 1 Adam7
public struct PNGHeader: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Bits per sample: 1, 2, 4, 8 or 16, as `colourType.allowedBitDepths` permits.
    public var bitDepth: Int
    public var colourType: PNGColourType
    /// Adam7 interlacing (see `PNGDecoder`). The encoder's 8-bit functions never write it; tests
    /// use it to make interlaced files.
    public var interlaced: Bool

    public init(width: Int, height: Int, bitDepth: Int, colourType: PNGColourType, interlaced: Bool = false) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colourType = colourType
        self.interlaced = interlaced
    }

    /// The 13 bytes of the IHDR chunk's data. Width and height are written as their low 32 bits.
    public var bytes: [UInt8] {
        PNGEncoder.bigEndian(UInt32(truncatingIfNeeded: width)) + PNGEncoder.bigEndian(UInt32(truncatingIfNeeded: height))
            + [UInt8(truncatingIfNeeded: bitDepth), colourType.rawValue, 0, 0, interlaced ? 1 : 0]
    }

    /// Bits per pixel: bit depth × samples per pixel (1 ... 64).
    public var bitsPerPixel: Int { bitDepth * colourType.channels }

    /// The distance in bytes between a byte and the one it is predicted from by the Sub, Average
    /// and Paeth filters: the bytes per complete pixel, rounded up to 1.
    public var filterStride: Int { max(1, bitsPerPixel / 8) }

    /// Bytes in one scanline after its filter-type byte, `ceil(width × bitsPerPixel / 8)`, or nil
    /// if that overflows.
    public var scanlineBytes: Int? {
        let (bits, overflow) = width.multipliedReportingOverflow(by: bitsPerPixel)
        guard !overflow, width >= 0 else { return nil }
        return bits / 8 + (bits % 8 == 0 ? 0 : 1)
    }
}
