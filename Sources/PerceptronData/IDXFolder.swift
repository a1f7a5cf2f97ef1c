import Foundation
import Perceptron

/// A folder of IDX files: the training pair `train-images-idx3-ubyte` and
/// `train-labels-idx1-ubyte`, and the test pair `t10k-images-idx3-ubyte` and
/// `t10k-labels-idx1-ubyte`, each either as is or compressed as `NAME.gz` (the plain file is
/// preferred when both exist).
///
/// Compression is recognised by the gzip magic bytes `1f 8b`, not by the name. Every file is
/// checked (see `IDXReader`): magic number 2051 for images and 2049 for labels, data exactly as long
/// as the header's big-endian dimensions say, as many labels as images. What else is checked
/// depends on `dataset`:
///
/// - `.mnist` and `.fashion`: all four files, 28×28 images, labels in 0...9, ten classes `0`…`9`.
///   For `.mnist` the SHA-256 of each decompressed file must also equal the published one
///   (`MNISTFile.sha256`).
/// - `.custom`: the training pair, and the test pair if the folder has it (both files or neither);
///   images of any size, the test images the size of the training ones; labels 0–255, the
///   classes `0` … the largest label.
/// - `nil` (no dataset named): `.mnist`, SHA-256 included, when the folder holds all four files,
///   of 28×28 images labelled 0...9; `.custom` otherwise. The result's `dataset` says which.
///
/// Any problem throws an error naming the file and what to do about it: first any file that is
/// missing, then any that is not valid IDX, then a checksum, then the images' sizes, then a
/// disagreement between an image file and its label file.
enum IDXFolder {
    /// The folder's data sets, read and checked as `dataset` says (see `IDXFolder`).
    static func load(_ dataset: Dataset?, from directory: URL) throws -> DatasetSplits {
        let directory = directory.standardizedFileURL
        // Find the files before reading any, so that an incomplete directory is reported as such.
        var urls: [MNISTFile: URL] = [:]
        for file in MNISTFile.allCases { urls[file] = locate(file, in: directory) }
        let needed: [MNISTFile] = switch dataset {
        case .mnist?, .fashion?: MNISTFile.allCases
        case .custom?, nil:
            [.trainImages, .trainLabels] + (urls[.testImages] != nil || urls[.testLabels] != nil ? [.testImages, .testLabels] : [])
        }
        if let missing = needed.first(where: { urls[$0] == nil }) {
            throw DatasetError.missingFile(dataset: dataset ?? .custom, directory: directory.path, name: missing.name)
        }
        let hasTest = needed.contains(.testImages)

        // The files, parsed; their checksums where they may be MNIST's.
        let mayBeMNIST = dataset == .mnist || (dataset == nil && hasTest)
        let labelLimit = dataset == .mnist || dataset == .fashion ? 10 : 256
        var files: [MNISTFile: IDXFileContents] = [:]
        for file in needed {
            guard let url = urls[file] else { continue }
            files[file] = try IDXFileContents(file, at: url, labelLimit: labelLimit, digest: mayBeMNIST)
        }
        func images(_ file: MNISTFile) -> IDXImages? { files[file]?.images }
        let shapes = [MNISTFile.trainImages, .testImages].compactMap(images).map { ($0.rows, $0.columns) }
        let looksLikeMNIST = hasTest && shapes.allSatisfy { $0 == (MNISTFile.imageRows, MNISTFile.imageColumns) }
            && [MNISTFile.trainLabels, .testLabels].allSatisfy { files[$0]?.labels?.allSatisfy { $0 <= 9 } ?? false }
        let resolved = dataset ?? (looksLikeMNIST ? .mnist : .custom)

        if resolved == .mnist {
            for file in needed {
                guard let contents = files[file], let actual = contents.sha256, actual != file.sha256 else { continue }
                throw DatasetError.checksumMismatch(path: contents.path, expected: file.sha256, actual: actual)
            }
        }
        guard let trainImages = images(.trainImages) else { preconditionFailure("the training images are always needed") }
        let (rows, columns) = resolved == .custom ? (trainImages.rows, trainImages.columns) : (MNISTFile.imageRows, MNISTFile.imageColumns)
        for file in [MNISTFile.trainImages, .testImages] {
            guard let contents = files[file], let set = contents.images, set.rows != rows || set.columns != columns else { continue }
            throw IDXError.wrongImageSize(path: contents.path, expectedRows: rows, expectedColumns: columns, rows: set.rows, columns: set.columns)
        }
        func pair(_ imageFile: MNISTFile, _ labelFile: MNISTFile) throws -> LabeledImages? {
            guard let images = files[imageFile], let labels = files[labelFile], let pixels = images.images, let values = labels.labels else { return nil }
            return try IDXReader.combine(pixels, imagesFile: images.path, values, labelsFile: labels.path)
        }
        guard let train = try pair(.trainImages, .trainLabels) else { preconditionFailure("the training pair is always needed") }
        let test = try pair(.testImages, .testLabels)
        let classes = resolved.classCount.map { (0..<$0).map(String.init) }
        return DatasetSplits(train: train, test: test, classes: classes, dataset: resolved)
    }
}

/// One IDX file of a dataset folder, read and parsed: its images or its labels, and the SHA-256
/// of its decompressed bytes when asked for.
private struct IDXFileContents {
    let path: String
    var images: IDXImages?
    var labels: [UInt8]?
    var sha256: String?

    init(_ file: MNISTFile, at url: URL, labelLimit: Int, digest: Bool) throws {
        path = url.path
        let bytes = try FileBytes.readDecompressing(url)
        switch file {
        case .trainImages, .testImages: images = try IDXReader.readImages(from: bytes, file: path)
        case .trainLabels, .testLabels: labels = try IDXReader.readLabels(from: bytes, file: path, classes: labelLimit)
        }
        if digest { sha256 = SHA256.hexDigest(bytes) }
    }
}

/// `directory/NAME` if it exists, else `directory/NAME.gz`, else `nil`.
private func locate(_ file: MNISTFile, in directory: URL) -> URL? {
    for name in [file.name, file.name + ".gz"] {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
    }
    return nil
}
