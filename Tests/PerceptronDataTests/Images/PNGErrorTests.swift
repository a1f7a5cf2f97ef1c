import Foundation
import Testing
import PerceptronData

/// A PNG made of the signature, `chunks` (type and data) and an IEND chunk, with correct CRCs.
private func png(_ chunks: [(String, [UInt8])], end: Bool = true) -> [UInt8] {
    var file = PNGDecoder.signature
    for (type, data) in chunks {
        file += PNGEncoder.chunk(type, data)
    }
    if end { file += PNGEncoder.chunk("IEND", []) }
    return file
}

/// IHDR data for `width × height` with the given byte fields.
private func ihdr(width: UInt32, height: UInt32, bitDepth: UInt8 = 8, colourType: UInt8 = 0,
                  compression: UInt8 = 0, filter: UInt8 = 0, interlace: UInt8 = 0) -> [UInt8] {
    bigEndian(width) + bigEndian(height) + [bitDepth, colourType, compression, filter, interlace]
}

/// zlib-compressed `bytes`, taken from the IDAT chunk of an encoded 1-row image holding them.
private func zlib(_ bytes: [UInt8]) -> [UInt8] {
    let file = PNGEncoder.encode(header: PNGHeader(width: 1, height: 1, bitDepth: 8, colourType: .grey), scanlines: bytes)
    let length = Int(file[33]) << 24 | Int(file[34]) << 16 | Int(file[35]) << 8 | Int(file[36])
    return Array(file[41 ..< 41 + length])
}

@Suite("PNG errors")
struct PNGErrorTests {
    let valid = PNGEncoder.encode(grey8: pseudoRandomBytes(6 * 4, seed: 5), width: 6, height: 4)

    /// Decodes `bytes` as `path` and returns the PNGError thrown, checking that its description
    /// names the file and is one line.
    private func error(_ bytes: [UInt8], path: String = "/tmp/digit.png") throws -> PNGError {
        let error = try #require(throws: PNGError.self) { try PNGDecoder.decode(bytes, path: path) }
        #expect(error.description.hasPrefix(path + ": "))
        #expect(!error.description.contains("\n"))
        return error
    }

    @Test("a JPEG is rejected for its signature, and named as a JPEG")
    func badSignature() throws {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46]
        let found = try error(jpeg, path: "photo.png")
        #expect(found == .badSignature(path: "photo.png", found: Array(jpeg.prefix(8))))
        #expect(found.description.contains("JPEG"))
        #expect(found.description.contains("89 50 4e 47 0d 0a 1a 0a"))
        #expect(try error([]) == .badSignature(path: "/tmp/digit.png", found: []))
    }

    @Test("a file cut anywhere is an error, never a crash nor an image; cut inside IDAT it is `truncated`")
    func everyPrefix() throws {
        for length in 0 ..< valid.count {
            #expect(throws: PNGError.self, "cut at \(length)") { try PNGDecoder.decode(Array(valid.prefix(length)), path: "cut.png") }
        }
        let cut = Array(valid.prefix(45))  // inside the IDAT chunk, which starts at byte 33
        #expect(try error(cut, path: "cut.png") == .truncated(path: "cut.png", offset: 45, expected: "the end of the IDAT chunk that starts at byte 33"))
        let noEnd = Array(valid.dropLast(12))  // without IEND
        #expect(try error(noEnd, path: "cut.png") == .truncated(path: "cut.png", offset: noEnd.count, expected: "the IEND chunk"))
    }

    @Test("a changed byte inside a chunk is a CRC mismatch naming the chunk")
    func crcMismatch() throws {
        var damaged = valid
        damaged[45] ^= 0x01
        let found = try error(damaged)
        guard case .crcMismatch(_, let chunk, let offset, let stored, let computed) = found else {
            Issue.record("expected a CRC mismatch, got \(found)")
            return
        }
        #expect(chunk == "IDAT")
        #expect(offset == 33)
        #expect(stored != computed)
        #expect(found.description.contains("IDAT"))
    }

    @Test("every single-bit change of a small PNG is caught as a PNGError (signature, lengths, CRCs), never a crash")
    func bitFlips() {
        for index in valid.indices {
            for bit in 0..<8 {
                var damaged = valid
                damaged[index] ^= 1 << bit
                #expect(throws: PNGError.self, "byte \(index) bit \(bit)") { try PNGDecoder.decode(damaged, path: "flip.png") }
            }
        }
    }

    @Test("interlaced image data that ends inside a pass says which pass")
    func interlacedEndsEarly() throws {
        // 4 × 4 interlaced: pass 1 is one pixel, passes 2 and 3 are empty, pass 4 is one pixel.
        let file = png([("IHDR", ihdr(width: 4, height: 4, interlace: 1)), ("IDAT", zlib([0, 0]))])
        let found = try error(file, path: "adam7.png")
        #expect(found == .passEndsEarly(path: "adam7.png", pass: 4, rows: 0, height: 1))
        #expect(found.description == "adam7.png: the interlaced image data ends after 0 of the 1 rows of pass 4 of 7; the file is damaged or incomplete; save or export the image as PNG again")
    }

    @Test("a header claiming 100000×100000 pixels is refused before anything is allocated")
    func absurdSize() throws {
        let file = png([("IHDR", ihdr(width: 100_000, height: 100_000, colourType: 6)), ("IDAT", zlib([0]))])
        let found = try error(file)
        #expect(found == .tooLarge(path: "/tmp/digit.png", width: 100_000, height: 100_000, limit: 8192))
        #expect(found.description.contains("100000×100000"))
        // The largest side accepted, decoded whole, is more pixels than are decoded whole (shrunk as
        // it is read, it would be decoded: PNGDecoderTests); the largest image decoded whole gets
        // as far as the (missing) image data.
        let largestSide = png([("IHDR", ihdr(width: 8192, height: 8192)), ("IDAT", zlib([0]))])
        #expect(try error(largestSide) == .tooManyPixels(path: "/tmp/digit.png", width: 8192, height: 8192, limit: 4096 * 4096))
        let largestWhole = png([("IHDR", ihdr(width: 4096, height: 4096)), ("IDAT", zlib([0]))])
        #expect(try error(largestWhole) == .imageDataEndsEarly(path: "/tmp/digit.png", rows: 0, height: 4096))
    }

    @Test("invalid headers: zero width, a wrong length, unknown methods")
    func badHeaders() throws {
        #expect(try error(png([("IHDR", ihdr(width: 0, height: 5))])) ==
                .badHeader(path: "/tmp/digit.png", reason: "the size 0×5 is outside 1 ... 2147483647 pixels a side"))
        #expect(try error(png([("IHDR", Array(ihdr(width: 1, height: 1).prefix(12)))])) ==
                .badHeader(path: "/tmp/digit.png", reason: "expected 13 bytes of data, found 12"))
        #expect(try error(png([("IHDR", ihdr(width: 1, height: 1, compression: 1))])) ==
                .badHeader(path: "/tmp/digit.png", reason: "compression method 1, expected 0 (deflate)"))
        #expect(try error(png([("IHDR", ihdr(width: 1, height: 1, filter: 2))])) ==
                .badHeader(path: "/tmp/digit.png", reason: "filter method 2, expected 0"))
        let header = PNGEncoder.chunk("IHDR", ihdr(width: 1, height: 1))
        #expect(try error(PNGDecoder.signature + header + header) == .badHeader(path: "/tmp/digit.png", reason: "a second IHDR chunk at byte 33"))
    }

    @Test("colour types and bit depths PNG does not define are named")
    func unsupportedFormats() throws {
        #expect(try error(png([("IHDR", ihdr(width: 1, height: 1, bitDepth: 8, colourType: 5))])) ==
                .unsupportedFormat(path: "/tmp/digit.png", colourType: 5, bitDepth: 8))
        let rgb4 = try error(png([("IHDR", ihdr(width: 1, height: 1, bitDepth: 4, colourType: 2))]))
        #expect(rgb4 == .unsupportedFormat(path: "/tmp/digit.png", colourType: 2, bitDepth: 4))
        #expect(rgb4.description.contains("2 (RGB) with 8/16 bits"))
        #expect(try error(png([("IHDR", ihdr(width: 1, height: 1, bitDepth: 16, colourType: 3))])) ==
                .unsupportedFormat(path: "/tmp/digit.png", colourType: 3, bitDepth: 16))
    }

    @Test("the first chunk must be IHDR")
    func missingHeader() throws {
        #expect(try error(png([("IDAT", zlib([0, 0]))])) == .missingHeader(path: "/tmp/digit.png", firstChunk: "IDAT"))
    }

    @Test("a palette image needs a valid PLTE, and its indices must be in the palette")
    func paletteErrors() throws {
        let header = ("IHDR", ihdr(width: 2, height: 1, bitDepth: 8, colourType: 3))
        #expect(try error(png([header, ("IDAT", zlib([0, 0, 1]))])) == .missingPalette(path: "/tmp/digit.png"))
        #expect(try error(png([header, ("PLTE", [1, 2, 3, 4]), ("IDAT", zlib([0, 0, 1]))])) == .badPalette(path: "/tmp/digit.png", length: 4))
        #expect(try error(png([header, ("PLTE", [0, 0, 0, 255, 255, 255]), ("IDAT", zlib([0, 0, 2]))])) ==
                .paletteIndexOutOfRange(path: "/tmp/digit.png", row: 0, index: 2, paletteSize: 2))
    }

    @Test("an unknown critical chunk is refused, an unknown ancillary one skipped")
    func unknownChunks() throws {
        let header = ("IHDR", ihdr(width: 1, height: 1))
        #expect(try error(png([header, ("ABCD", []), ("IDAT", zlib([0, 9]))])) == .unknownCriticalChunk(path: "/tmp/digit.png", chunk: "ABCD"))
        #expect(try PNGDecoder.decode(png([header, ("abCD", [1, 2]), ("IDAT", zlib([0, 9]))]), path: "ok.png").bytes == [9])
    }

    @Test("no IDAT, a bad filter type, too few rows and corrupt zlib data are each reported")
    func imageDataErrors() throws {
        let header = ("IHDR", ihdr(width: 2, height: 3))
        #expect(try error(png([header])) == .noImageData(path: "/tmp/digit.png"))
        #expect(try error(png([header, ("IDAT", zlib([0, 1, 2, 7, 1, 2, 0, 1, 2]))])) ==
                .badFilterType(path: "/tmp/digit.png", row: 1, filterType: 7))
        #expect(try error(png([header, ("IDAT", zlib([0, 1, 2, 0, 1, 2]))])) ==
                .imageDataEndsEarly(path: "/tmp/digit.png", rows: 2, height: 3))
        let garbage = try error(png([header, ("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF])]))
        guard case .corruptImageData = garbage else {
            Issue.record("expected corrupt image data, got \(garbage)")
            return
        }
        // A gzip stream is not a zlib stream.
        #expect(throws: PNGError.self) { try PNGDecoder.decode(png([header, ("IDAT", helloGzip)]), path: "gz.png") }
    }

    @Test("a chunk length above 2³¹ − 1 is refused")
    func chunkTooLong() throws {
        let file = PNGDecoder.signature + PNGEncoder.chunk("IHDR", ihdr(width: 1, height: 1)) + [0x80, 0, 0, 0] + Array("IDAT".utf8)
        #expect(try error(file) == .chunkTooLong(path: "/tmp/digit.png", chunk: "IDAT", offset: 33, length: 0x8000_0000))
    }
}
