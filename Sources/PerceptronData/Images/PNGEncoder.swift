import Perceptron

/// Writes PNG files (see `PNGDecoder` for the format): the signature, an IHDR chunk, one IDAT
/// chunk holding the zlib-compressed scanlines, and an IEND chunk.
///
/// The `encode(grey8:…)`, `encode(rgb8:…)`, `encode(rgba8:…)` and `encode(indexed8:palette:…)`
/// functions write 8-bit non-interlaced images with filter type 0 (None) on every scanline. `encode(header:scanlines:…)`
/// assembles a file from scanlines filtered by the caller, for any header — which is how the tests
/// make palette, 16-bit, filtered, interlaced and broken files.
///
/// The arguments come from the program, not from a file: pixel counts that do not match the size
/// are programming errors and stop the program.
public enum PNGEncoder {
    /// An 8-bit greyscale PNG (colour type 0) of `width × height` pixels, one byte each, row-major,
    /// 0 = black, 255 = white.
    public static func encode(grey8 pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        encode8(pixels, width: width, height: height, colourType: .grey)
    }

    /// An 8-bit RGB PNG (colour type 2): three bytes per pixel, R, G, B.
    public static func encode(rgb8 pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        encode8(pixels, width: width, height: height, colourType: .rgb)
    }

    /// An 8-bit RGBA PNG (colour type 6): four bytes per pixel, R, G, B, alpha (0 = transparent).
    public static func encode(rgba8 pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        encode8(pixels, width: width, height: height, colourType: .rgba)
    }

    /// An 8-bit indexed-colour PNG (colour type 3): one byte per pixel, an index into `palette`, whose
    /// colours are R, G, B triples (1 to 256 of them, written as the PLTE chunk).
    public static func encode(indexed8 indices: [UInt8], palette: [UInt8], width: Int, height: Int) -> [UInt8] {
        let colours = palette.count / 3
        precondition(palette.count % 3 == 0 && (1...256).contains(colours),
                     "a palette is 1 to 256 R, G, B triples, not \(palette.count) bytes")
        precondition(indices.allSatisfy { Int($0) < colours }, "an index is outside the palette of \(colours) colours")
        return encode8(indices, width: width, height: height, colourType: .palette, chunksBeforeImageData: [("PLTE", palette)])
    }

    /// An 8-bit greyscale PNG of `image` (intensities rounded to bytes, see `GreyImage.bytes`).
    public static func encode(_ image: GreyImage) -> [UInt8] {
        encode(grey8: image.bytes, width: image.width, height: image.height)
    }

    /// A PNG file with `header`, the chunks `chunksBeforeImageData` (PLTE, tRNS, …, in order),
    /// and `scanlines` — the image data before compression: each row a filter-type byte followed
    /// by the row's filtered bytes — compressed into one IDAT chunk.
    public static func encode(header: PNGHeader, scanlines: [UInt8], chunksBeforeImageData: [(type: String, data: [UInt8])] = []) -> [UInt8] {
        var file = PNGDecoder.signature
        file += chunk("IHDR", header.bytes)
        for extra in chunksBeforeImageData {
            file += chunk(extra.type, extra.data)
        }
        file += chunk("IDAT", Zlib.compress(scanlines))
        file += chunk("IEND", [])
        return file
    }

    /// One chunk: the data's length (4 bytes, big-endian), the 4-letter `type`, `data`, and the
    /// CRC-32 of type and data (4 bytes, big-endian).
    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4, "a PNG chunk type is 4 ASCII letters, not \"\(type)\"")
        precondition(data.count <= Int(Int32.max), "a PNG chunk holds at most 2³¹ − 1 bytes")
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(CRC32.checksum(typeBytes + data))
    }

    /// 8-bit pixels of `colourType`, every scanline with filter type 0, after `chunksBeforeImageData`.
    private static func encode8(_ pixels: [UInt8], width: Int, height: Int, colourType: PNGColourType,
                                chunksBeforeImageData: [(type: String, data: [UInt8])] = []) -> [UInt8] {
        let rowBytes = width * colourType.channels
        precondition(width > 0 && height > 0 && width <= Int(Int32.max) && height <= Int(Int32.max),
                     "a PNG is 1 to 2³¹ − 1 pixels wide and high, not \(width)×\(height)")
        precondition(pixels.count == rowBytes * height,
                     "a \(width)×\(height) \(colourType) image needs \(rowBytes * height) bytes, not \(pixels.count)")
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((rowBytes + 1) * height)
        for row in 0..<height {
            scanlines.append(0)  // filter type None
            scanlines += pixels[row * rowBytes ..< (row + 1) * rowBytes]
        }
        return encode(header: PNGHeader(width: width, height: height, bitDepth: 8, colourType: colourType), scanlines: scanlines,
                      chunksBeforeImageData: chunksBeforeImageData)
    }

    /// `value` as four big-endian bytes.
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
