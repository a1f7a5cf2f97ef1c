import Foundation
import Testing
import Perceptron
import PerceptronData

/// A small dataset in MNIST's layout (28×28 images, 3 for training and 2 for testing), written
/// into `directory`. Files in `compressed` are written gzip-compressed as `NAME.gz`.
@discardableResult
func writeTinyDataset(in directory: TemporaryDirectory, compressed: Set<MNISTFile> = []) throws -> DatasetSplits {
    let pixelsPerImage = 28 * 28
    let train = LabeledImages(images: (0..<3 * pixelsPerImage).map { UInt8($0 % 256) }, labels: [5, 0, 4], rows: 28, columns: 28)
    let test = LabeledImages(images: (0..<2 * pixelsPerImage).map { UInt8($0 % 199) }, labels: [7, 2], rows: 28, columns: 28)
    let contents: [MNISTFile: [UInt8]] = [
        .trainImages: IDXWriter.imageFile(for: train), .trainLabels: IDXWriter.labelFile(for: train),
        .testImages: IDXWriter.imageFile(for: test), .testLabels: IDXWriter.labelFile(for: test),
    ]
    for (file, bytes) in contents {
        if compressed.contains(file) {
            try directory.write(gzipWithSystemTool(bytes, in: directory), to: file.name + ".gz")
        } else {
            try directory.write(bytes, to: file.name)
        }
    }
    return DatasetSplits(train: train, test: test)
}

@Suite("Loading a dataset directory")
struct DatasetLoaderTests {
    @Test("the four IDX files load as the training and test sets")
    func loadsTinyDataset() throws {
        let directory = try TemporaryDirectory()
        let written = try writeTinyDataset(in: directory)
        let loaded = try loadDataset(.fashion, from: directory.url)
        #expect(loaded.train == written.train)
        #expect(loaded.test == written.test)
    }

    @Test("NAME.gz files are read, and compression is detected by content, not by name", .enabled(if: systemGzipIsPresent))
    func compressedFiles() throws {
        let directory = try TemporaryDirectory()
        let written = try writeTinyDataset(in: directory, compressed: [.trainImages, .testLabels])
        // Also a compressed file under the plain name.
        let labels = try directory.url.appendingPathComponent(MNISTFile.trainLabels.name)
        try directory.write(gzipWithSystemTool([UInt8](Data(contentsOf: labels)), in: directory), to: MNISTFile.trainLabels.name)
        let loaded = try loadDataset(.fashion, from: directory.url)
        #expect(loaded.train == written.train)
        #expect(loaded.test == written.test)
    }

    @Test("a missing MNIST file is named, with the advice to run `perceptron fetch`")
    func missingMNISTFile() throws {
        let directory = try TemporaryDirectory()
        try writeTinyDataset(in: directory)
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent(MNISTFile.testLabels.name))
        let error = try #require(throws: DatasetError.self) { try loadDataset(.mnist, from: directory.url) }
        #expect(error == .missingFile(dataset: .mnist, directory: directory.url.standardizedFileURL.path, name: "t10k-labels-idx1-ubyte"))
        #expect(error.description.contains("t10k-labels-idx1-ubyte"))
        #expect(error.description.contains("perceptron fetch"))
    }

    @Test("a missing Fashion-MNIST file points to the Debian package")
    func missingFashionFile() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: DatasetError.self) { try loadDataset(.fashion, from: directory.url) }
        #expect(error.description.contains("train-images-idx3-ubyte"))
        #expect(error.description.contains("dataset-fashion-mnist"))
    }

    @Test("MNIST files that are valid IDX but not the published ones fail their SHA-256, named")
    func checksumMismatch() throws {
        let directory = try TemporaryDirectory()
        let written = try writeTinyDataset(in: directory)
        let path = directory.url.standardizedFileURL.appendingPathComponent(MNISTFile.trainImages.name).path
        let error = try #require(throws: DatasetError.self) { try loadDataset(.mnist, from: directory.url) }
        #expect(error == .checksumMismatch(path: path, expected: MNISTFile.trainImages.sha256,
                                           actual: SHA256.hexDigest(IDXWriter.imageFile(for: written.train))))
        #expect(error.description.contains(path))
        #expect(error.description.contains("perceptron fetch --force"))
    }

    @Test("images that are not 28×28 are rejected")
    func wrongImageSize() throws {
        let directory = try TemporaryDirectory()
        try writeTinyDataset(in: directory)
        let url = try directory.write(idxImageFile(rows: 27, columns: 28, pixels: Array(repeating: 0, count: 2 * 27 * 28)), to: MNISTFile.testImages.name)
        let error = try #require(throws: IDXError.self) { try loadDataset(.fashion, from: directory.url) }
        #expect(error == .wrongImageSize(path: url.standardizedFileURL.path, expectedRows: 28, expectedColumns: 28, rows: 27, columns: 28))
        #expect(error.description.contains("t10k-images-idx3-ubyte"))
    }

    @Test("test images and test labels that disagree in number are rejected, both named")
    func countMismatch() throws {
        let directory = try TemporaryDirectory()
        try writeTinyDataset(in: directory)
        try directory.write(idxLabelFile([1, 2, 3]), to: MNISTFile.testLabels.name)
        let error = try #require(throws: IDXError.self) { try loadDataset(.fashion, from: directory.url) }
        #expect(error.description.contains("t10k-images-idx3-ubyte holds 2 images"))
        #expect(error.description.contains("t10k-labels-idx1-ubyte holds 3 labels"))
    }

    @Test("a label of 11 in the training labels is rejected with the file named")
    func badLabel() throws {
        let directory = try TemporaryDirectory()
        try writeTinyDataset(in: directory)
        try directory.write(idxLabelFile([5, 11, 4]), to: MNISTFile.trainLabels.name)
        let error = try #require(throws: IDXError.self) { try loadDataset(.mnist, from: directory.url) }
        #expect(error.description.contains("train-labels-idx1-ubyte"))
        #expect(error.description.contains("label 11"))
    }

    @Test("Fashion-MNIST lives where the Debian package installs it")
    func defaultDirectories() {
        #expect(defaultDataDirectory(for: .fashion).path == "/usr/share/datasets/fashion-mnist")
    }

    @Test("without PERCEPTRON_DATA, MNIST is looked for in data/mnist",
          .enabled(if: ProcessInfo.processInfo.environment["PERCEPTRON_DATA"] == nil))
    func defaultMNISTDirectory() {
        let expected = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("data/mnist")
        #expect(defaultDataDirectory(for: .mnist).standardizedFileURL.path == expected.standardizedFileURL.path)
    }

    @Test("the real MNIST: 60,000 + 10,000 verified 28×28 images", .enabled(if: realMNISTIsPresent))
    func realMNIST() throws {
        let splits = try loadDataset(.mnist, from: realMNISTDirectory)
        #expect(splits.train.count == 60_000)
        #expect(splits.test?.count == 10_000)
        #expect(splits.train.rows == 28 && splits.train.columns == 28)
        #expect(Array(splits.train.labels.prefix(4)) == [5, 0, 4, 1])
        #expect(Array(splits.test?.labels.prefix(4) ?? []) == [7, 2, 1, 0])
        #expect(splits.classes == (0...9).map(String.init))
        #expect(try loadDataset(nil, from: realMNISTDirectory).dataset == .mnist)
    }

    @Test("the installed Fashion-MNIST .gz files load", .enabled(if: fashionIsPresent))
    func realFashionMNIST() throws {
        let splits = try loadDataset(.fashion, from: fashionDirectory)
        #expect(splits.train.count == 60_000)
        #expect(splits.test?.count == 10_000)
        #expect(Array(splits.train.labels.prefix(4)) == [9, 0, 0, 3])
        #expect(Array(splits.test?.labels.prefix(4) ?? []) == [9, 2, 1, 1])
    }
}
