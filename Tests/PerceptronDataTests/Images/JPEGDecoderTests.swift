import Foundation
import Testing
import PerceptronData

@Suite("JPEG decoding")
struct JPEGDecoderTests {
    /// The largest difference, in bytes, between a decoded image and the bytes expected.
    private func largestDifference(_ image: GreyImage, _ expected: [UInt8]) -> Int {
        zip(image.bytes, expected).map { abs(Int($0) - Int($1)) }.max() ?? .max
    }

    @Test("greyscale, colour (luma) and progressive JPEGs from Pillow decode to the bytes Pillow's libjpeg-turbo sees",
          arguments: ["grey", "colour", "progressive"])
    func pillowFiles(name: String) throws {
        let (file, expected) = switch name {
        case "grey": (JPEGFixtures.grey, JPEGFixtures.greyExpected)
        case "colour": (JPEGFixtures.colour, JPEGFixtures.colourExpected)
        default: (JPEGFixtures.progressive, JPEGFixtures.progressiveExpected)
        }
        let image = try JPEGDecoder.decode(file, path: name + ".jpg")
        #expect(image.width == 24 && image.height == 16)
        #expect(image.bytes.count == expected.count)
        #expect(largestDifference(image, expected) <= 1)
    }

    @Test("the colour JPEG's grey is its luma: the greyscale pattern's colours weighted 0.299, 0.587, 0.114")
    func colourIsLuma() throws {
        let image = try JPEGDecoder.decode(JPEGFixtures.colour, path: "colour.jpg")
        // Pixel (x, y) of the pattern is (10x, 15y, 200 − 6x); JPEG loses a little, 4:2:0 a little more.
        for (x, y) in [(0, 0), (12, 8), (23, 15)] {
            let luma = 0.299 * Double(10 * x) + 0.587 * Double(15 * y) + 0.114 * Double(200 - 6 * x)
            #expect(abs(image[x, y] * 255 - luma) < 6, "pixel (\(x), \(y))")
        }
    }

    @Test("a large JPEG is decoded at the smallest power-of-two scale that keeps the longer side at least the size asked")
    func reducedScale() throws {
        // 96 × 64 asked for at least 24 along the longer side: 1/4 scale, 24 × 16, as Pillow decodes it at 1/4.
        let quarter = try JPEGDecoder.decode(JPEGFixtures.large, path: "large.jpg", scaledDownTo: 24)
        #expect(quarter.width == 24 && quarter.height == 16)
        #expect(largestDifference(quarter, JPEGFixtures.largeExpectedQuarter) <= 1)
        let half = try JPEGDecoder.decode(JPEGFixtures.large, path: "large.jpg", scaledDownTo: 25)
        #expect(half.width == 48 && half.height == 32)
        let whole = try JPEGDecoder.decode(JPEGFixtures.large, path: "large.jpg")
        #expect(whole.width == 96 && whole.height == 64)
        #expect(try JPEGDecoder.decode(JPEGFixtures.large, path: "large.jpg", scaledDownTo: 500) == whole)
    }

    @Test("the scale: 1/d for the largest d of 1, 2, 4, 8 that keeps the longer side at least the size asked, sides rounded up")
    func scaleChoice() {
        #expect(JPEGDecoder.scaleDenominator(width: 4000, height: 3000, side: 1024) == 2)
        #expect(JPEGDecoder.scaleDenominator(width: 3000, height: 4000, side: 1024) == 2)
        #expect(JPEGDecoder.scaleDenominator(width: 4000, height: 3000, side: 1000) == 4)
        #expect(JPEGDecoder.scaleDenominator(width: 9000, height: 9000, side: 100) == 8)
        #expect(JPEGDecoder.scaleDenominator(width: 800, height: 600, side: 1024) == 1)
        #expect(JPEGDecoder.scaleDenominator(width: 4000, height: 3000, side: nil) == 1)
        // Without a size asked, only as much as fitting 8192 a side needs.
        #expect(JPEGDecoder.scaleDenominator(width: 20000, height: 100, side: nil) == 4)
        #expect(JPEGDecoder.scaled(3001, by: 4) == 751)
    }

    @Test("each EXIF orientation 1 … 8 is turned upright: every file shows the same blocks")
    func exifOrientations() throws {
        for (index, file) in JPEGFixtures.oriented.enumerated() {
            #expect(EXIFOrientation.find(in: file).rawValue == index + 1)
            let image = try JPEGDecoder.decode(file, path: "oriented.jpg")
            #expect(image.width == 24 && image.height == 16, "orientation \(index + 1)")
            #expect(largestDifference(image, JPEGFixtures.blocks) <= 2, "orientation \(index + 1)")
        }
    }

    @Test("damaged files are errors naming the file, never a crash", arguments: [10, 100, 200, 300])
    func truncated(length: Int) throws {
        let file = Array(JPEGFixtures.grey.prefix(length))
        let error = try #require(throws: JPEGError.self) { try JPEGDecoder.decode(file, path: "cut.jpg") }
        #expect(error.description.hasPrefix("cut.jpg: "))
        #expect(error.description.contains("damaged or incomplete"))
    }

    @Test("a file that is not a JPEG, a CMYK JPEG and a JPEG of more than 50 megapixels are refused, saying why")
    func refusals() throws {
        let png = PNGEncoder.encode(grey8: [0], width: 1, height: 1)
        let notJPEG = try #require(throws: JPEGError.self) { try JPEGDecoder.decode(png, path: "a.png") }
        #expect(notJPEG == .notJPEG(path: "a.png", found: Array(png.prefix(12))))
        #expect(notJPEG.description.contains("a PNG file"))

        #expect(throws: JPEGError.cmyk(path: "print.jpg")) { try JPEGDecoder.decode(JPEGFixtures.cmyk, path: "print.jpg") }

        // The frame header (SOF0, FF C0): length (2), precision (1), height (2), width (2).
        var huge = JPEGFixtures.grey
        let frame = try #require((0 ..< huge.count - 1).first { huge[$0] == 0xFF && huge[$0 + 1] == 0xC0 })
        huge.replaceSubrange(frame + 5 ..< frame + 9, with: [0x27, 0x10, 0x27, 0x10])  // 10000 × 10000
        let tooLarge = try #require(throws: JPEGError.self) { try JPEGDecoder.decode(huge, path: "huge.jpg") }
        #expect(tooLarge == .tooLarge(path: "huge.jpg", width: 10000, height: 10000, limit: JPEGDecoder.maximumPixels))
        #expect(tooLarge.description.contains("50 million"))
    }

    @Test("the header gives the size without decoding")
    func header() throws {
        let header = try JPEGDecoder.header(of: JPEGFixtures.large, path: "large.jpg")
        #expect(header.width == 96 && header.height == 64 && !header.cmyk)
        #expect(try JPEGDecoder.header(of: JPEGFixtures.cmyk, path: "c.jpg").cmyk)
    }

    @Test("ImageFile reads JPEG by content, at reduced scale when asked")
    func throughImageFile() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(JPEGFixtures.large, to: "photo.png")
        #expect(ImageFormat.detect(JPEGFixtures.large) == .jpeg)
        #expect(try ImageFile.read(url: url).width == 96)
        #expect(try ImageFile.read(url: url, scaledDownTo: 24).width == 24)
    }
}
