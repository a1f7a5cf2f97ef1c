import Foundation
import Testing
import Perceptron
import PerceptronData

@Suite("IDX writer")
struct IDXWriterTests {
    let set = LabeledImages(images: Array(0..<24), labels: [5, 0, 9, 1], rows: 3, columns: 2)

    @Test("the image file is magic 2051, then count, rows and columns big-endian, then the pixels")
    func imageFileLayout() {
        let expected: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 2] + Array(0..<24)
        #expect(IDXWriter.imageFile(for: set) == expected)
    }

    @Test("the label file is magic 2049, then the count big-endian, then the labels")
    func labelFileLayout() {
        #expect(IDXWriter.labelFile(for: set) == [0, 0, 8, 1, 0, 0, 0, 4, 5, 0, 9, 1])
    }

    @Test("files written and read back give the same images and labels, and no temporary files remain")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = directory.url.appendingPathComponent("images-idx3-ubyte")
        let labelsURL = directory.url.appendingPathComponent("labels-idx1-ubyte")
        try IDXWriter.write(set, imagesTo: imagesURL, labelsTo: labelsURL)
        #expect(try IDXReader.readLabeledImages(images: imagesURL, labels: labelsURL) == set)
        #expect(try directory.fileNames() == ["images-idx3-ubyte", "labels-idx1-ubyte"])
    }

    @Test("writing over an existing file replaces it")
    func overwrite() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = directory.url.appendingPathComponent("images")
        let labelsURL = directory.url.appendingPathComponent("labels")
        try IDXWriter.write(set, imagesTo: imagesURL, labelsTo: labelsURL)
        let smaller = set.subset([3])
        try IDXWriter.write(smaller, imagesTo: imagesURL, labelsTo: labelsURL)
        #expect(try IDXReader.readLabeledImages(images: imagesURL, labels: labelsURL) == smaller)
    }

    @Test("writing into a missing directory fails with the path named")
    func unwritable() throws {
        let directory = try TemporaryDirectory()
        let imagesURL = directory.url.appendingPathComponent("no-such-directory/images")
        let error = try #require(throws: FileError.self) {
            try IDXWriter.write(set, imagesTo: imagesURL, labelsTo: directory.url.appendingPathComponent("labels"))
        }
        #expect(error.description.contains(imagesURL.path))
    }
}
