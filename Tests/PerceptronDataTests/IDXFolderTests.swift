import Foundation
import Testing
import Perceptron
import PerceptronData

/// Writes `train` (and `test`, if given) into `directory` as IDX files under MNIST's names.
func writeIDXFolder(_ directory: TemporaryDirectory, train: LabeledImages, test: LabeledImages? = nil) throws {
    try directory.write(IDXWriter.imageFile(for: train), to: MNISTFile.trainImages.name)
    try directory.write(IDXWriter.labelFile(for: train), to: MNISTFile.trainLabels.name)
    if let test {
        try directory.write(IDXWriter.imageFile(for: test), to: MNISTFile.testImages.name)
        try directory.write(IDXWriter.labelFile(for: test), to: MNISTFile.testLabels.name)
    }
}

@Suite("IDX folders of any image size and number of classes")
struct IDXFolderTests {
    /// Four 5×3 images of classes up to 14.
    let train = LabeledImages(images: (0..<4 * 15).map { UInt8($0) }, labels: [14, 0, 3, 14], rows: 5, columns: 3)
    let test = LabeledImages(images: (0..<2 * 15).map { UInt8(255 - $0) }, labels: [2, 11], rows: 5, columns: 3)

    @Test("5×3 images in 15 classes load as a data set of your own, its classes 0…14")
    func otherSizes() throws {
        let directory = try TemporaryDirectory()
        try writeIDXFolder(directory, train: train, test: test)
        for named in [nil, Dataset.custom] {
            let data = try loadDataset(named, from: directory.url)
            #expect(data.train == train)
            #expect(data.test == test)
            #expect(data.dataset == .custom)
            #expect(data.classes == (0...14).map(String.init))
        }
    }

    @Test("the training files alone load, without a test set")
    func trainingFilesAlone() throws {
        let directory = try TemporaryDirectory()
        try writeIDXFolder(directory, train: train)
        let data = try loadDataset(nil, from: directory.url)
        #expect(data.train == train)
        #expect(data.test == nil)
    }

    @Test("a test image file without its label file is named as missing")
    func halfATestPair() throws {
        let directory = try TemporaryDirectory()
        try writeIDXFolder(directory, train: train, test: test)
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent(MNISTFile.testLabels.name))
        let error = try #require(throws: DatasetError.self) { try loadDataset(nil, from: directory.url) }
        #expect(error.description.contains("missing t10k-labels-idx1-ubyte"))
    }

    @Test("test images of another size than the training images are refused, naming the test file")
    func testImagesOfAnotherSize() throws {
        let directory = try TemporaryDirectory()
        let other = LabeledImages(images: Array(repeating: 0, count: 2 * 16), labels: [1, 2], rows: 4, columns: 4)
        try writeIDXFolder(directory, train: train, test: other)
        let error = try #require(throws: IDXError.self) { try loadDataset(.custom, from: directory.url) }
        let path = directory.url.standardizedFileURL.appendingPathComponent(MNISTFile.testImages.name).path
        #expect(error == .wrongImageSize(path: path, expectedRows: 5, expectedColumns: 3, rows: 4, columns: 4))
    }

    @Test("Fashion-MNIST still takes only 28×28 images labelled 0…9")
    func fashionStaysStrict() throws {
        let directory = try TemporaryDirectory()
        try writeIDXFolder(directory, train: train, test: test)
        #expect(throws: IDXError.self) { try loadDataset(.fashion, from: directory.url) }
    }

    @Test("four 28×28 files given no dataset are taken for MNIST and checked by SHA-256; named custom, they load")
    func mnistLookalike() throws {
        let directory = try TemporaryDirectory()
        let written = try writeTinyDataset(in: directory)
        let error = try #require(throws: DatasetError.self) { try loadDataset(nil, from: directory.url) }
        #expect(error.description.contains("SHA-256 mismatch"))
        #expect(error.description.contains("--dataset custom"))
        let data = try loadDataset(.custom, from: directory.url)
        #expect(data.train == written.train)
        #expect(data.dataset == .custom)
    }

    @Test("a CSV file named as MNIST is refused: MNIST is four IDX files")
    func csvIsNotMNIST() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write("label,pixel0\n1,0\n", to: "one.csv")
        let error = try #require(throws: DatasetError.self) { try loadDataset(.mnist, from: url) }
        #expect(error == .notIDX(dataset: .mnist, path: url.path, layout: .csv))
        #expect(error.description.contains("leave out --dataset"))
    }
}

@Suite("Telling the data's layout")
struct DataLayoutTests {
    @Test("a file is CSV; a CSV name that is not there is a missing file")
    func files() throws {
        let directory = try TemporaryDirectory()
        #expect(try DataLayout(of: directory.write("1,2\n", to: "data.txt")) == .csv)
        let missing = directory.url.appendingPathComponent("digits.csv")
        #expect(throws: FileError.missing(path: missing.path)) { try DataLayout(of: missing) }
    }

    @Test("a folder with MNIST's file names is IDX, with folders class folders; an empty or absent one IDX (for MNIST's fetch)")
    func folders() throws {
        let idx = try TemporaryDirectory()
        try idx.write([], to: "train-images-idx3-ubyte.gz")
        try FileManager.default.createDirectory(at: idx.url.appendingPathComponent("cat"), withIntermediateDirectories: true)
        #expect(try DataLayout(of: idx.url) == .idx)

        let classes = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: classes.url.appendingPathComponent("cat"), withIntermediateDirectories: true)
        try classes.write("notes", to: "README")
        #expect(try DataLayout(of: classes.url) == .classFolders)

        let hidden = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: hidden.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        #expect(try DataLayout(of: hidden.url) == .idx)
        #expect(try DataLayout(of: hidden.url.appendingPathComponent("not-yet")) == .idx)
    }
}
