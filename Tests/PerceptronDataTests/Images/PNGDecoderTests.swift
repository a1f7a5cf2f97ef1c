import Foundation
import Testing
import PerceptronData
import Perceptron

@Suite("PNG decoding")
struct PNGDecoderTests {
    @Test("an 8-bit greyscale image survives encoding and decoding exactly")
    func greyRoundTrip() throws {
        let bytes = pseudoRandomBytes(7 * 5, seed: 1)
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(grey8: bytes, width: 7, height: 5), path: "grey.png")
        #expect(decoded == GreyImage(width: 7, height: 5, bytes: bytes))
    }

    @Test("a GreyImage encodes as its rounded bytes")
    func greyImageRoundTrip() throws {
        let image = GreyImage(width: 3, height: 1, pixels: [0, 0.5, 1])
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(image), path: "image.png")
        #expect(decoded.bytes == [0, 128, 255])
    }

    @Test("RGB becomes luma 0.299 R + 0.587 G + 0.114 B")
    func rgbLuma() throws {
        let pixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 100, 150, 200]
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(rgb8: pixels, width: 3, height: 2), path: "rgb.png")
        let expected = [0.299, 0.587, 0.114, 1, 0, (0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 255]
        #expect(decoded.width == 3 && decoded.height == 2)
        for (value, wanted) in zip(decoded.pixels, expected) {
            #expect(abs(value - wanted) < 1e-12)
        }
    }

    @Test("an 8-bit indexed image decodes to the luma of its palette's colours")
    func indexedRoundTrip() throws {
        let palette: [UInt8] = [255, 255, 255, 0, 0, 0, 100, 150, 200]
        let file = PNGEncoder.encode(indexed8: [0, 1, 2, 1, 0, 2], palette: palette, width: 3, height: 2)
        let decoded = try PNGDecoder.decode(file, path: "indexed.png")
        let blue = (0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 255
        let expected = [1, 0, blue, 0, 1, blue]
        #expect(decoded.width == 3 && decoded.height == 2)
        #expect(decoded.pixels.count == expected.count)
        for (value, wanted) in zip(decoded.pixels, expected) {
            #expect(abs(value - wanted) < 1e-12)
        }
    }

    @Test("RGBA is composited over white: transparent pixels are white, black ink stays black")
    func rgbaOverWhite() throws {
        let pixels: [UInt8] = [
            0, 0, 0, 0,        // transparent (the canvas of a drawing)
            0, 0, 0, 255,      // opaque black ink
            0, 0, 0, 128,      // half-transparent black
            255, 0, 0, 255,    // opaque red
        ]
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(rgba8: pixels, width: 2, height: 2), path: "rgba.png")
        let expected = [1, 0, 1 - 128.0 / 255, 0.299]
        for (value, wanted) in zip(decoded.pixels, expected) {
            #expect(abs(value - wanted) < 1e-12)
        }
    }

    @Test("a hand-computed image with Sub, Paeth, Average and Up filters decodes to its pixels")
    func handComputedFilters() throws {
        // Rows [10 30 60], [20 40 50], [25 45 55], [30 40 50], filtered by hand:
        //   Sub:     10, 30−10, 60−30                                   = 10 20 30
        //   Paeth:   20−P(0,10,0)=20−10, 40−P(20,30,10)=40−30, 50−P(40,60,30)=50−60 = 10 10 246
        //   Average: 25−(0+20)/2, 45−(25+40)/2, 55−(45+50)/2             = 15 13 8
        //   Up:      30−25, 40−45, 50−55                                 = 5 251 251
        let scanlines: [UInt8] = [1, 10, 20, 30, 4, 10, 10, 246, 3, 15, 13, 8, 2, 5, 251, 251]
        let header = PNGHeader(width: 3, height: 4, bitDepth: 8, colourType: .grey)
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(header: header, scanlines: scanlines), path: "filters.png")
        #expect(decoded.bytes == [10, 30, 60, 20, 40, 50, 25, 45, 55, 30, 40, 50])
    }

    @Test("each filter type decodes right for 8-bit grey, RGB, RGBA and 16-bit RGBA", arguments: [
        (PNGColourType.grey, 8), (.rgb, 8), (.rgba, 8), (.rgba, 16), (.greyAlpha, 16),
    ])
    func everyFilter(colourType: PNGColourType, bitDepth: Int) throws {
        let (width, height) = (9, 10)
        let header = PNGHeader(width: width, height: height, bitDepth: bitDepth, colourType: colourType)
        let rowBytes = width * header.bitsPerPixel / 8
        let raw = smoothBytes(width: width, height: height, channels: rowBytes / width)
        let plain = try PNGDecoder.decode(
            PNGEncoder.encode(header: header, scanlines: filteredScanlines(raw, rowBytes: rowBytes, stride: header.filterStride, types: [0])),
            path: "plain.png")
        for types: [UInt8] in [[1], [2], [3], [4], [4, 3, 2, 1, 0]] {
            let scanlines = filteredScanlines(raw, rowBytes: rowBytes, stride: header.filterStride, types: types)
            let decoded = try PNGDecoder.decode(PNGEncoder.encode(header: header, scanlines: scanlines), path: "filtered.png")
            #expect(decoded == plain, "filter types \(types)")
        }
    }

    @Test("16-bit greyscale samples are big-endian, scaled by 65535")
    func sixteenBitGrey() throws {
        let header = PNGHeader(width: 3, height: 1, bitDepth: 16, colourType: .grey)
        let scanlines: [UInt8] = [0, 0x00, 0x00, 0xFF, 0xFF, 0x80, 0x01]
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(header: header, scanlines: scanlines), path: "grey16.png")
        #expect(decoded.pixels == [0, 1, 32769.0 / 65535])
    }

    @Test("1-, 2- and 4-bit greyscale samples are unpacked from the high bits, rows padded to a byte")
    func subByteGrey() throws {
        // 1 bit, 10 pixels: 1011 0010  01xx xxxx
        let one = PNGHeader(width: 10, height: 1, bitDepth: 1, colourType: .grey)
        let decodedOne = try PNGDecoder.decode(PNGEncoder.encode(header: one, scanlines: [0, 0b1011_0010, 0b0111_1111]), path: "1bit.png")
        #expect(decodedOne.pixels == [1, 0, 1, 1, 0, 0, 1, 0, 0, 1])
        // 2 bits, 3 pixels over two rows, Sub-filtered second row: 11 01 10 xx, then 00 10 11 xx
        let two = PNGHeader(width: 3, height: 2, bitDepth: 2, colourType: .grey)
        let raw: [UInt8] = [0b1101_1000, 0b0010_1100]
        let decodedTwo = try PNGDecoder.decode(
            PNGEncoder.encode(header: two, scanlines: filteredScanlines(raw, rowBytes: 1, stride: 1, types: [0, 2])), path: "2bit.png")
        #expect(decodedTwo.pixels == [3, 1, 2, 0, 2, 3].map { Double($0) / 3 })
        // 4 bits, 3 pixels: F 0 8 x
        let four = PNGHeader(width: 3, height: 1, bitDepth: 4, colourType: .grey)
        let decodedFour = try PNGDecoder.decode(PNGEncoder.encode(header: four, scanlines: [0, 0xF0, 0x80]), path: "4bit.png")
        #expect(decodedFour.pixels == [1, 0, 8.0 / 15])
    }

    @Test("a 2-bit palette image uses PLTE colours and tRNS alphas (missing alphas are opaque)")
    func palette() throws {
        let header = PNGHeader(width: 3, height: 2, bitDepth: 2, colourType: .palette)
        let palette: [UInt8] = [255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255]
        let alphas: [UInt8] = [255, 0]  // entry 1 transparent, entries 2 and 3 opaque
        // Row 0: indices 0 1 2; row 1: indices 3 2 0 (Paeth-filtered to exercise it with packed samples).
        let raw: [UInt8] = [0b0001_1000, 0b1110_0000]
        let file = PNGEncoder.encode(header: header, scanlines: filteredScanlines(raw, rowBytes: 1, stride: 1, types: [0, 4]),
                                     chunksBeforeImageData: [("PLTE", palette), ("tRNS", alphas)])
        let decoded = try PNGDecoder.decode(file, path: "palette.png")
        let expected = [1, 1, 0.299, 0.114, 0.299, 1]
        #expect(decoded.pixels.count == 6)
        for (value, wanted) in zip(decoded.pixels, expected) {
            #expect(abs(value - wanted) < 1e-12)
        }
    }

    @Test("tRNS makes one grey value or one RGB colour transparent, hence white")
    func transparentKeys() throws {
        let grey = PNGHeader(width: 3, height: 1, bitDepth: 8, colourType: .grey)
        let greyFile = PNGEncoder.encode(header: grey, scanlines: [0, 0, 7, 200], chunksBeforeImageData: [("tRNS", [0, 7])])
        #expect(try PNGDecoder.decode(greyFile, path: "grey-key.png").bytes == [0, 255, 200])

        let rgb = PNGHeader(width: 2, height: 1, bitDepth: 8, colourType: .rgb)
        let rgbFile = PNGEncoder.encode(header: rgb, scanlines: [0, 0, 255, 0, 0, 0, 0], chunksBeforeImageData: [("tRNS", [0, 0, 0, 255, 0, 0])])
        #expect(try PNGDecoder.decode(rgbFile, path: "rgb-key.png").bytes == [255, 0])
    }

    @Test("greyscale with alpha is composited over white")
    func greyAlpha() throws {
        let header = PNGHeader(width: 3, height: 1, bitDepth: 8, colourType: .greyAlpha)
        let file = PNGEncoder.encode(header: header, scanlines: [0, 0, 0, 0, 255, 100, 51])
        let decoded = try PNGDecoder.decode(file, path: "ga.png")
        #expect(decoded.pixels[0] == 1)
        #expect(decoded.pixels[1] == 0)
        #expect(abs(decoded.pixels[2] - (100.0 / 255 * 0.2 + 0.8)) < 1e-12)
    }

    @Test("image data split over several IDAT chunks, with ancillary chunks around, decodes")
    func splitImageData() throws {
        let pixels = pseudoRandomBytes(20 * 6, seed: 3)
        let whole = PNGEncoder.encode(grey8: pixels, width: 20, height: 6)
        // Take the one IDAT chunk's data out of the encoder's file: signature 8, IHDR 25 bytes.
        let idatLength = Int(whole[33]) << 24 | Int(whole[34]) << 16 | Int(whole[35]) << 8 | Int(whole[36])
        let compressed = Array(whole[41 ..< 41 + idatLength])
        let third = compressed.count / 3
        var file = Array(whole[0..<33])
        file += PNGEncoder.chunk("tEXt", Array("Comment\u{0}split".utf8))
        file += PNGEncoder.chunk("IDAT", Array(compressed[..<third]))
        file += PNGEncoder.chunk("IDAT", Array(compressed[third ..< 2 * third]))
        file += PNGEncoder.chunk("IDAT", Array(compressed[(2 * third)...]))
        file += PNGEncoder.chunk("tIME", [7, 0xE8, 1, 1, 0, 0, 0])
        file += PNGEncoder.chunk("IEND", [])
        #expect(try PNGDecoder.decode(file, path: "split.png") == GreyImage(width: 20, height: 6, bytes: pixels))
    }

    @Test("files from Pillow and libpng decode to the pixels Pillow sees", arguments: PNGFixtures.all.map(\.name))
    func otherEncoders(name: String) throws {
        let fixture = try #require(PNGFixtures.all.first { $0.name == name })
        let decoded = try PNGDecoder.decode(fixture.bytes, path: name + ".png")
        #expect(decoded.width == PNGFixtures.width && decoded.height == PNGFixtures.height)
        // Within one step of 255: the formulas are the same, the last bit of a rounding may not be.
        let differences = zip(decoded.bytes, fixture.expected).map { abs(Int($0) - Int($1)) }
        #expect(decoded.bytes.count == fixture.expected.count)
        #expect(differences.allSatisfy { $0 <= 1 }, "largest difference \(differences.max() ?? 0)")
    }

    @Test("an interlaced file from libpng decodes to the same pixels as the non-interlaced one")
    func interlacedFromLibpng() throws {
        let decoded = try PNGDecoder.decode(PNGFixtures.interlaced, path: "adam7.png")
        #expect(decoded.width == PNGFixtures.width && decoded.height == PNGFixtures.height)
        let differences = zip(decoded.bytes, PNGFixtures.grey8.expected).map { abs(Int($0) - Int($1)) }
        #expect(differences.allSatisfy { $0 <= 1 }, "largest difference \(differences.max() ?? 0)")
    }

    @Test("Adam7: the seven passes, each filtered on its own, interleave into the image",
          arguments: [(1, 1), (3, 2), (5, 9), (9, 5), (8, 8), (17, 11)])
    func adam7(width: Int, height: Int) throws {
        for (colourType, bitDepth) in [(PNGColourType.grey, 1), (.grey, 8), (.grey, 16), (.rgb, 8), (.rgba, 8)] {
            let header = PNGHeader(width: width, height: height, bitDepth: bitDepth, colourType: colourType)
            let samples = width * height * colourType.channels
            let values = pseudoRandomBytes(samples * max(1, bitDepth / 8), seed: UInt64(width * 31 + height))
                .map { bitDepth == 1 ? $0 & 1 : $0 }
            let plain = PNGEncoder.encode(header: header, scanlines: adam7Pass(values, header: header, pass: nil))
            var interlacedHeader = header
            interlacedHeader.interlaced = true
            let scanlines: [UInt8] = (0..<7).flatMap { pass -> [UInt8] in adam7Pass(values, header: header, pass: pass) }
            let interlaced = PNGEncoder.encode(header: interlacedHeader, scanlines: scanlines)
            #expect(try PNGDecoder.decode(interlaced, path: "i.png") == PNGDecoder.decode(plain, path: "p.png"),
                    "\(width)×\(height) \(colourType) \(bitDepth)-bit")
        }
    }

    @Test("asked for at most 100 px a side, a 250×130 PNG is shrunk as its rows arrive: the same means as reducing it whole")
    func shrunkAsRead() throws {
        var generator = SplitMix64(seed: 5)
        let bytes = (0..<(250 * 130)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let file = PNGEncoder.encode(grey8: bytes, width: 250, height: 130)
        let whole = try PNGDecoder.decode(file, path: "big.png")
        let shrunk = try PNGDecoder.decode(file, path: "big.png", scaledDownTo: 100)
        let (expected, factor) = DigitPreprocessing.reduced(whole, toAtMost: 100)
        #expect(factor == 3 && (shrunk.width, shrunk.height) == (84, 44))
        #expect(shrunk == expected)
        #expect(try PNGDecoder.decode(file, path: "big.png", scaledDownTo: 250) == whole, "no larger than asked: decoded whole")
    }

    @Test("a few kilobytes that inflate to 8192 × 8192 pixels: shrunk as read when a side is asked, else refused, naming the size")
    func pixelBudget() throws {
        let header = PNGHeader(width: 8192, height: 8192, bitDepth: 8, colourType: .grey, interlaced: false)
        let row: [UInt8] = [2] + [UInt8](repeating: 0, count: 8192)  // filter Up: every row as the one above, 0
        let file = PNGEncoder.encode(header: header, scanlines: (0..<8192).flatMap { _ in row })
        #expect(file.count < 200_000)
        let shrunk = try PNGDecoder.decode(file, path: "bomb.png", scaledDownTo: 1024)
        #expect((shrunk.width, shrunk.height) == (1024, 1024) && shrunk.pixels.allSatisfy { $0 == 0 })
        #expect(throws: PNGError.tooManyPixels(path: "bomb.png", width: 8192, height: 8192, limit: PNGDecoder.maximumWholePixels)) {
            try PNGDecoder.decode(file, path: "bomb.png")
        }
        #expect(PNGError.tooManyPixels(path: "bomb.png", width: 8192, height: 8192, limit: PNGDecoder.maximumWholePixels)
            .description.contains("8192×8192 pixels, more than the 16 million decoded whole"))
    }

    @Test("read(url:) reads a file and names it in errors")
    func readFile() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(PNGEncoder.encode(grey8: [0, 255], width: 2, height: 1), to: "two.png")
        #expect(try PNGDecoder.read(url: url).bytes == [0, 255])
        let missing = directory.url.appendingPathComponent("absent.png")
        #expect(throws: FileError.missing(path: missing.path)) { try PNGDecoder.read(url: missing) }
    }
}
