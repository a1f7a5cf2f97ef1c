import Foundation
import Testing
import Perceptron
import PerceptronData

@Suite("IDX reader")
struct IDXReaderTests {
    /// Two images of 2 rows × 3 columns.
    let pixels: [UInt8] = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]

    @Test("a valid image file gives its count, size and pixels in order")
    func validImages() throws {
        let images = try IDXReader.readImages(from: idxImageFile(rows: 2, columns: 3, pixels: pixels), file: "tiny-images")
        #expect(images == IDXImages(count: 2, rows: 2, columns: 3, pixels: pixels))
    }

    @Test("a valid label file gives its labels in order")
    func validLabels() throws {
        #expect(try IDXReader.readLabels(from: idxLabelFile([7, 0, 9]), file: "tiny-labels") == [7, 0, 9])
    }

    @Test("an image file and its label file read from disk pair up")
    func labeledImagesFromFiles() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = try directory.write(idxImageFile(rows: 2, columns: 3, pixels: pixels), to: "images-idx3-ubyte")
        let labelsURL = try directory.write(idxLabelFile([4, 2]), to: "labels-idx1-ubyte")
        let set = try IDXReader.readLabeledImages(images: imagesURL, labels: labelsURL)
        #expect(set == LabeledImages(images: pixels, labels: [4, 2], rows: 2, columns: 3))
    }

    @Test("a gzip-compressed file is recognised by its contents, not its name", .enabled(if: systemGzipIsPresent))
    func compressedWithoutGzName() throws {
        let directory = try TemporaryDirectory()
        let compressed = try gzipWithSystemTool(idxLabelFile([3, 1, 4]), in: directory)
        let url = try directory.write(compressed, to: "labels-without-gz-suffix")
        #expect(try IDXReader.readLabels(from: url) == [3, 1, 4])
    }

    @Test("a label file read as images is rejected for its magic number, naming the file")
    func wrongMagic() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(idxLabelFile(Array(repeating: 1, count: 12)), to: "train-labels-idx1-ubyte")
        let error = try #require(throws: IDXError.self) { try IDXReader.readImages(from: url) }
        #expect(error == .wrongMagic(path: url.path, kind: .images, found: 2049))
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("expected 2051"))
        #expect(error.description.contains("found 2049"))
    }

    @Test("data shorter than the header says is reported as truncated, naming the file")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(idxImageFile(count: 2, rows: 2, columns: 3, pixels: Array(pixels.prefix(11))), to: "cut-images")
        let error = try #require(throws: IDXError.self) { try IDXReader.readImages(from: url) }
        #expect(error == .truncated(path: url.path, dimensions: [2, 2, 3], expectedDataBytes: 12, actualDataBytes: 11))
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("truncated"))
    }

    @Test("bytes after the data are reported, naming the file")
    func trailingBytes() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(idxLabelFile(count: 2, labels: [1, 2, 3]), to: "long-labels")
        let error = try #require(throws: IDXError.self) { try IDXReader.readLabels(from: url) }
        #expect(error == .trailingBytes(path: url.path, dimensions: [2], expectedDataBytes: 2, actualDataBytes: 3))
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("1 unexpected bytes"))
    }

    @Test("a header claiming 2^31 images in a 100-byte file is rejected before anything is allocated")
    func hugeClaimedCount() throws {
        let directory = try TemporaryDirectory()
        let bytes = idxImageFile(count: 1 << 31, rows: 28, columns: 28, pixels: Array(repeating: 0, count: 84))
        #expect(bytes.count == 100)
        let url = try directory.write(bytes, to: "lying-images")
        let error = try #require(throws: IDXError.self) { try IDXReader.readImages(from: url) }
        #expect(error == .truncated(path: url.path, dimensions: [1 << 31, 28, 28], expectedDataBytes: (1 << 31) * 784, actualDataBytes: 84))
        #expect(error.description.contains(url.path))
    }

    @Test("dimensions whose product overflows are rejected, not trapped on")
    func overflowingDimensions() throws {
        let bytes = idxImageFile(count: .max, rows: .max, columns: .max, pixels: [])
        let error = try #require(throws: IDXError.self) { try IDXReader.readImages(from: bytes, file: "overflow-images") }
        #expect(error == .sizeOverflow(path: "overflow-images", dimensions: [Int(UInt32.max), Int(UInt32.max), Int(UInt32.max)]))
    }

    @Test("a file shorter than its header is rejected, naming the file")
    func shorterThanHeader() throws {
        let error = try #require(throws: IDXError.self) { try IDXReader.readImages(from: bigEndian(2051) + [0, 0], file: "stub") }
        #expect(error == .shorterThanHeader(path: "stub", kind: .images, headerBytes: 16, fileBytes: 6))
        #expect(error.description.contains("stub"))
    }

    @Test("images with zero rows are rejected")
    func emptyImages() throws {
        let error = try #require(throws: IDXError.self) {
            try IDXReader.readImages(from: idxImageFile(count: 5, rows: 0, columns: 28, pixels: []), file: "flat")
        }
        #expect(error == .emptyImages(path: "flat", rows: 0, columns: 28))
    }

    @Test("a label of 11 is rejected with the file and the position named")
    func labelOutOfRange() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(idxLabelFile([0, 9, 11, 3]), to: "bad-labels")
        let error = try #require(throws: IDXError.self) { try IDXReader.readLabels(from: url) }
        #expect(error == .labelOutOfRange(path: url.path, index: 2, value: 11))
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("label 11"))
    }

    @Test("different image and label counts are rejected, naming both files")
    func countMismatch() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = try directory.write(idxImageFile(rows: 2, columns: 3, pixels: pixels), to: "two-images")
        let labelsURL = try directory.write(idxLabelFile([1, 2, 3]), to: "three-labels")
        let error = try #require(throws: IDXError.self) { try IDXReader.readLabeledImages(images: imagesURL, labels: labelsURL) }
        #expect(error == .countMismatch(imagesPath: imagesURL.path, imageCount: 2, labelsPath: labelsURL.path, labelCount: 3))
        #expect(error.description.contains(imagesURL.path))
        #expect(error.description.contains(labelsURL.path))
    }

    @Test("a missing file is reported as missing, with its path")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("nowhere")
        #expect(throws: FileError.missing(path: url.path)) { try IDXReader.readLabels(from: url) }
    }

    @Test("a damaged gzip file is reported with its path")
    func damagedGzipFile() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(Array(helloGzip.prefix(20)), to: "labels.gz")
        let error = try #require(throws: FileError.self) { try IDXReader.readLabels(from: url) }
        #expect(error == .badGzip(path: url.path, problem: .truncated(inputBytes: 20)))
        #expect(error.description.contains(url.path))
    }
}
