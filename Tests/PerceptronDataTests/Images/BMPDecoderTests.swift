import Testing
import PerceptronData

/// A BMP file written independently of the decoder: the 14-byte file header, a 40-byte
/// BITMAPINFOHEADER (or the 12-byte OS/2 one), `extra` bytes (masks), the palette (B, G, R, 0 per
/// entry; B, G, R for the 12-byte header) and `rows` as stored, each padded here to 4 bytes.
func bmpFile(width: Int, height: Int, bits: Int, compression: UInt32 = 0, palette: [[UInt8]] = [],
             extra: [UInt8] = [], rows: [[UInt8]], core: Bool = false) -> [UInt8] {
    func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16 & 0xFFFF) }
    var header: [UInt8]
    if core {
        header = u32(12) + u16(width) + u16(height)
        header += u16(1) + u16(bits)
    } else {
        header = u32(40) + u32(width) + u32(height)
        header += u16(1) + u16(bits) + u32(Int(compression))
        header += u32(0) + u32(2835) + u32(2835)
        header += u32(palette.count) + u32(0)
    }
    let colours: [UInt8] = palette.flatMap { (entry: [UInt8]) -> [UInt8] in core ? [entry[2], entry[1], entry[0]] : [entry[2], entry[1], entry[0], 0] }
    let pixels: [UInt8] = rows.flatMap { (row: [UInt8]) -> [UInt8] in row + [UInt8](repeating: 0, count: (4 - row.count % 4) % 4) }
    let offset = 14 + header.count + extra.count + colours.count
    var file: [UInt8] = Array("BM".utf8) + u32(offset + pixels.count)
    file += u32(0) + u32(offset)
    file += header + extra
    file += colours + pixels
    return file
}

@Suite("BMP decoding")
struct BMPDecoderTests {
    @Test("24-bit rows are blue, green, red, stored bottom-up; luma as for PNG")
    func twentyFourBits() throws {
        // Stored bottom row first: (red, green) then (blue, white).
        let file = bmpFile(width: 2, height: 2, bits: 24, rows: [[0, 0, 255, 0, 255, 0], [255, 0, 0, 255, 255, 255]])
        let image = try BMPDecoder.decode(file, path: "a.bmp")
        #expect(image.width == 2 && image.height == 2)
        let expected = [0.114, 1, 0.299, 0.587]
        for (value, wanted) in zip(image.pixels, expected) { #expect(abs(value - wanted) < 1e-12) }
    }

    @Test("a negative height stores the rows top-down")
    func topDown() throws {
        var file = bmpFile(width: 1, height: 2, bits: 24, rows: [[0, 0, 0], [255, 255, 255]])
        file.replaceSubrange(22..<26, with: [0xFE, 0xFF, 0xFF, 0xFF])  // height −2
        #expect(try BMPDecoder.decode(file, path: "a.bmp").pixels == [0, 1])
    }

    @Test("palette images of 1, 4 and 8 bits, and the 12-byte OS/2 header")
    func palettes() throws {
        let palette: [[UInt8]] = [[0, 0, 0], [255, 255, 255]]
        let one = bmpFile(width: 3, height: 1, bits: 1, palette: palette, rows: [[0b1010_0000]])
        #expect(try BMPDecoder.decode(one, path: "1.bmp").pixels == [1, 0, 1])
        let four = bmpFile(width: 3, height: 1, bits: 4, palette: palette, rows: [[0x10, 0x10]])
        #expect(try BMPDecoder.decode(four, path: "4.bmp").pixels == [1, 0, 1])
        let eight = bmpFile(width: 2, height: 1, bits: 8, palette: palette, rows: [[1, 0]])
        #expect(try BMPDecoder.decode(eight, path: "8.bmp").pixels == [1, 0])
        let core = bmpFile(width: 2, height: 1, bits: 8, palette: palette, rows: [[0, 1]], core: true)
        #expect(try BMPDecoder.decode(core, path: "os2.bmp").pixels == [0, 1])
        let outOfRange = bmpFile(width: 2, height: 1, bits: 8, palette: palette, rows: [[0, 7]])
        #expect(throws: BMPError.self) { try BMPDecoder.decode(outOfRange, path: "bad.bmp") }
    }

    @Test("16 and 32 bits: x1r5g5b5 and BGRX without masks, any channels with bit-field masks")
    func bitFields() throws {
        // 0x7C00 is full red in x1r5g5b5; 0x001F full blue.
        let sixteen = bmpFile(width: 2, height: 1, bits: 16, rows: [[0x00, 0x7C, 0x1F, 0x00]])
        let reds = try BMPDecoder.decode(sixteen, path: "16.bmp").pixels
        #expect(abs(reds[0] - 0.299) < 1e-12 && abs(reds[1] - 0.114) < 1e-12)
        let thirtyTwo = bmpFile(width: 1, height: 1, bits: 32, rows: [[0, 255, 0, 0]])
        #expect(abs(try BMPDecoder.decode(thirtyTwo, path: "32.bmp").pixels[0] - 0.587) < 1e-12)
        // r5g6b5 masks after the header: full green is 0x07E0.
        let masks: [UInt8] = [0x00, 0xF8, 0, 0, 0xE0, 0x07, 0, 0, 0x1F, 0, 0, 0]
        let rgb565 = bmpFile(width: 1, height: 1, bits: 16, compression: 3, extra: masks, rows: [[0xE0, 0x07]])
        #expect(abs(try BMPDecoder.decode(rgb565, path: "565.bmp").pixels[0] - 0.587) < 1e-12)
    }

    @Test("truncated, compressed and oversized files are errors naming the file, saying what to do")
    func errors() throws {
        let good = bmpFile(width: 4, height: 4, bits: 24, rows: Array(repeating: [UInt8](repeating: 9, count: 12), count: 4))
        let cut = try #require(throws: BMPError.self) { try BMPDecoder.decode(Array(good.prefix(good.count - 5)), path: "cut.bmp") }
        #expect(cut.description.hasPrefix("cut.bmp: truncated"))
        #expect(throws: BMPError.self) { try BMPDecoder.decode(Array(good.prefix(30)), path: "short.bmp") }
        let rle = bmpFile(width: 4, height: 4, bits: 8, compression: 1, palette: [[0, 0, 0]], rows: [[0, 0]])
        let compressed = try #require(throws: BMPError.self) { try BMPDecoder.decode(rle, path: "rle.bmp") }
        #expect(compressed.description.contains("compression method 1"))
        var huge = good
        huge.replaceSubrange(18..<22, with: [0x10, 0x27, 0, 0])  // 10000 wide
        #expect(throws: BMPError.tooLarge(path: "huge.bmp", width: 10000, height: 4, limit: 8192)) { try BMPDecoder.decode(huge, path: "huge.bmp") }
        let notBMP = try #require(throws: BMPError.self) { try BMPDecoder.decode(JPEGFixtures.grey, path: "a.jpg") }
        #expect(notBMP.description.contains("a JPEG file"))
    }
}
