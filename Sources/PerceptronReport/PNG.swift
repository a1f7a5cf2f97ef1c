/// A tiny PNG encoder, for small images embedded in the figures (digits, weight tiles).
///
/// ```
/// signature  IHDR (size, bit depth 8, colour type)  [PLTE (palette)]  IDAT (zlib data)  IEND
/// ```
/// Each row of pixels is preceded by filter byte 0 ("none"), and the zlib stream holds "stored"
/// (uncompressed) deflate blocks: for 28 × 28 images compression would save little, and this way
/// the encoder is a page of code. Chunks carry their CRC-32, the zlib stream its Adler-32.
public enum PNG {
    /// A greyscale image (colour type 0): one byte per pixel, row-major, 0 black … 255 white.
    public static func greyscale(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height,
                     "a \(width) × \(height) image needs \(width * height) pixels, not \(pixels.count)")
        return encode(width: width, height: height, colourType: 0, palette: nil, samples: pixels)
    }

    /// An indexed-colour image (colour type 3): one palette index per pixel, row-major.
    public static func indexed(width: Int, height: Int, indices: [UInt8], palette: [Colour]) -> [UInt8] {
        precondition(width > 0 && height > 0 && indices.count == width * height,
                     "a \(width) × \(height) image needs \(width * height) indices, not \(indices.count)")
        precondition(!palette.isEmpty && palette.count <= 256, "a palette holds 1 to 256 colours, not \(palette.count)")
        precondition(indices.allSatisfy { Int($0) < palette.count }, "an index is outside the palette of \(palette.count)")
        return encode(width: width, height: height, colourType: 3, palette: palette, samples: indices)
    }

    private static func encode(width: Int, height: Int, colourType: UInt8, palette: [Colour]?, samples: [UInt8]) -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        // IHDR: width, height, bit depth 8, colour type, compression 0, filter 0, no interlace.
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, colourType, 0, 0, 0], into: &png)
        if let palette { chunk("PLTE", palette.flatMap { [$0.red, $0.green, $0.blue] }, into: &png) }
        var filtered: [UInt8] = []
        filtered.reserveCapacity((width + 1) * height)
        for row in 0..<height {
            filtered.append(0)
            filtered.append(contentsOf: samples[row * width ..< (row + 1) * width])
        }
        chunk("IDAT", zlibStored(filtered), into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    /// length, type, data, CRC-32 of type and data.
    private static func chunk(_ type: String, _ data: [UInt8], into png: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        png += bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    /// A zlib stream of stored deflate blocks (at most 65,535 bytes each) holding `data`.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]  // deflate, 32 KB window, no preset dictionary, check bits
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isLast: UInt8 = offset + length == data.count ? 1 : 0
            stream += [isLast, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            stream += data[offset ..< offset + length]
            offset += length
        } while offset < data.count
        return stream + bigEndian(adler32(data))
    }

    /// The CRC-32 of PNG chunks (and zip, gzip): polynomial 0xEDB88320, reflected.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// zlib's Adler-32 checksum.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
