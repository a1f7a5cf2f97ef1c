import Foundation
import Testing
import PerceptronData

@Suite("Image files of any format")
struct ImageFileTests {
    @Test("PNG, PGM and IDX files are recognised by content, whatever their names")
    func detectsByContent() throws {
        let directory = try TemporaryDirectory()
        let bytes: [UInt8] = [0, 128, 255, 64]
        let png = try directory.write(PNGEncoder.encode(grey8: bytes, width: 2, height: 2), to: "image.pgm")
        let pgm = try directory.write(PGMWriter.encode(grey8: bytes, width: 2, height: 2), to: "image.png")
        let idx = try directory.write(idxImageFile(rows: 2, columns: 2, pixels: bytes), to: "image.jpg")
        let expected = GreyImage(width: 2, height: 2, bytes: bytes)
        #expect(try ImageFile.read(url: png) == expected)
        #expect(try ImageFile.read(url: pgm) == expected)
        #expect(try ImageFile.read(url: idx) == expected)
        #expect(ImageFormat.detect(PNGEncoder.encode(grey8: bytes, width: 2, height: 2)) == .png)
        #expect(ImageFormat.detect(Array("P2 1 1 1 1".utf8)) == .pgm)
        #expect(ImageFormat.detect(idxImageFile(rows: 2, columns: 2, pixels: bytes)) == .idx)
    }

    @Test("an IDX file gives every image, ink 255 as intensity 1 on a black background")
    func idxImages() throws {
        let pixels: [UInt8] = [0, 255, 0, 0, 0, 0, 255, 0, 10, 20, 30, 40]
        let images = try ImageFile.decodeAll(idxImageFile(rows: 2, columns: 2, pixels: pixels), path: "three.idx")
        #expect(images.count == 3)
        #expect(images[0].pixels == [0, 1, 0, 0])
        #expect(images[1].pixels == [0, 0, 1, 0])
        #expect(images[2] == GreyImage(width: 2, height: 2, bytes: [10, 20, 30, 40]))
    }

    @Test("reading one image from an IDX file of several, or of none, is an error naming the file")
    func idxCounts() throws {
        let three = idxImageFile(rows: 1, columns: 1, pixels: [1, 2, 3])
        let several = try #require(throws: ImageFileError.self) { try ImageFile.decode(three, path: "three.idx") }
        #expect(several == .severalImages(path: "three.idx", count: 3))
        #expect(several.description.hasPrefix("three.idx: "))
        #expect(throws: ImageFileError.noImages(path: "none.idx")) {
            try ImageFile.decodeAll(idxImageFile(count: 0, rows: 28, columns: 28, pixels: []), path: "none.idx")
        }
    }

    @Test("a damaged IDX file reports the IDX reader's error")
    func damagedIDX() {
        #expect(throws: IDXError.self) { try ImageFile.decodeAll(idxImageFile(count: 2, rows: 28, columns: 28, pixels: [1, 2]), path: "short.idx") }
    }

    @Test("a gzip-compressed IDX file is decompressed first", .enabled(if: systemGzipIsPresent))
    func gzipIDX() throws {
        let directory = try TemporaryDirectory()
        let raw = idxImageFile(rows: 2, columns: 1, pixels: [0, 255, 255, 0])
        let url = try directory.write(gzipWithSystemTool(raw, in: directory), to: "digits.gz")
        #expect(try ImageFile.readAll(url: url).map(\.pixels) == [[0, 1], [1, 0]])
    }

    @Test("WebP, GIF, label files and unknown bytes are refused, saying what they seem to be")
    func unknownFormats() throws {
        // WebP is told by its first 12 bytes: "RIFF", the size, "WEBP".
        let webp: [UInt8] = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8) + [0, 0, 0, 0]
        let error = try #require(throws: ImageFileError.self) { try ImageFile.decode(webp, path: "photo.webp") }
        #expect(error == .unknownFormat(path: "photo.webp", found: Array(webp.prefix(12))))
        #expect(error.description.hasPrefix("photo.webp: "))
        #expect(error.description.contains("(a WebP file)"))
        #expect(error.description.contains("PNG, JPEG, BMP, PGM"))
        let gif = try #require(throws: ImageFileError.self) { try ImageFile.decode(Array("GIF89a....".utf8), path: "a.gif") }
        #expect(gif.description.contains("(a GIF file)"))
        let labels = try #require(throws: ImageFileError.self) { try ImageFile.decode(idxLabelFile([1, 2]), path: "labels") }
        #expect(labels.description.contains("IDX label file"))
        #expect(throws: ImageFileError.unknownFormat(path: "empty", found: [])) { try ImageFile.decode([], path: "empty") }
    }

    @Test("JPEG and BMP files are recognised by content and decoded")
    func jpegAndBMP() throws {
        #expect(ImageFormat.detect(JPEGFixtures.grey) == .jpeg)
        #expect(try ImageFile.decode(JPEGFixtures.grey, path: "a.png").width == 24)
        let bmp = bmpFile(width: 2, height: 1, bits: 24, rows: [[0, 0, 0, 255, 255, 255]])
        #expect(ImageFormat.detect(bmp) == .bmp)
        #expect(try ImageFile.decode(bmp, path: "a.jpg").pixels == [0, 1])
        // A damaged JPEG gives the JPEG decoder's error.
        #expect(throws: JPEGError.self) { try ImageFile.decode(Array(JPEGFixtures.grey.prefix(100)), path: "cut.jpg") }
    }

    @Test("a missing file is a FileError naming it")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("nothing.png")
        #expect(throws: FileError.missing(path: url.path)) { try ImageFile.read(url: url) }
    }

    @Test("an MNIST-polarity digit from an IDX file comes out of preprocessing as it went in")
    func idxThroughPreprocessing() throws {
        let digit = SyntheticDigit.zero.mnistBytes
        let image = try ImageFile.decode(idxImageFile(rows: 28, columns: 28, pixels: digit), path: "zero.idx")
        #expect(correlation(DigitPreprocessing.mnistInput(from: image), digit) > 0.99)
    }
}
