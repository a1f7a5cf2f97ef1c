import Foundation
import Perceptron

/// Reads the four IDX files of `dataset` from `directory`: `train-images-idx3-ubyte`,
/// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each either
/// as is or compressed as `NAME.gz` (the plain file is preferred when both exist).
///
/// Compression is recognised by the gzip magic bytes `1f 8b`, not by the name. Every file is
/// checked (see `IDXReader`): magic number 2051 for images and 2049 for labels, data exactly as long
/// as the header's big-endian dimensions say, labels in 0...9, 28×28 images, as many labels as
/// images. For `.mnist` the SHA-256 of each decompressed file must also equal the published one
/// (`MNISTFile.sha256`). Any problem throws an error naming the file and what to do about it.
public func loadDataset(_ dataset: Dataset, from directory: URL) throws -> DatasetSplits {
    // Find all four files before reading any, so that an incomplete directory is reported as such.
    var urls: [MNISTFile: URL] = [:]
    for file in MNISTFile.allCases {
        urls[file] = try locate(file, of: dataset, in: directory)
    }
    let train = try loadSplit(dataset, images: .trainImages, labels: .trainLabels, urls: urls)
    let test = try loadSplit(dataset, images: .testImages, labels: .testLabels, urls: urls)
    return DatasetSplits(train: train, test: test)
}

/// One split (training or test): its image file and its label file, checked and paired.
///
/// The format is checked before the checksum, so that a damaged file is described precisely
/// (truncated, wrong magic, …) when it can be; the checksum then catches everything else.
private func loadSplit(_ dataset: Dataset, images: MNISTFile, labels: MNISTFile, urls: [MNISTFile: URL]) throws -> LabeledImages {
    guard let imagesURL = urls[images], let labelsURL = urls[labels] else {
        preconditionFailure("loadDataset locates every file first")
    }
    let imageBytes = try FileBytes.readDecompressing(imagesURL)
    let labelBytes = try FileBytes.readDecompressing(labelsURL)

    let idxImages = try IDXReader.readImages(from: imageBytes, file: imagesURL.path)
    let idxLabels = try IDXReader.readLabels(from: labelBytes, file: labelsURL.path)
    if dataset == .mnist {
        try verifySHA256(of: imageBytes, from: imagesURL, against: images.sha256)
        try verifySHA256(of: labelBytes, from: labelsURL, against: labels.sha256)
    }
    guard idxImages.rows == MNISTFile.imageRows && idxImages.columns == MNISTFile.imageColumns else {
        throw IDXError.wrongImageSize(path: imagesURL.path, expectedRows: MNISTFile.imageRows, expectedColumns: MNISTFile.imageColumns,
                                      rows: idxImages.rows, columns: idxImages.columns)
    }
    return try IDXReader.combine(idxImages, imagesFile: imagesURL.path, idxLabels, labelsFile: labelsURL.path)
}

/// `directory/NAME` if it exists, else `directory/NAME.gz`, else a `DatasetError.missingFile`.
private func locate(_ file: MNISTFile, of dataset: Dataset, in directory: URL) throws -> URL {
    let directory = directory.standardizedFileURL
    for name in [file.name, file.name + ".gz"] {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
    }
    throw DatasetError.missingFile(dataset: dataset, directory: directory.path, name: file.name)
}

/// Throws `DatasetError.checksumMismatch` unless the SHA-256 of `bytes` is `expected`.
private func verifySHA256(of bytes: [UInt8], from url: URL, against expected: String) throws {
    let actual = SHA256.hexDigest(bytes)
    guard actual == expected else {
        throw DatasetError.checksumMismatch(path: url.path, expected: expected, actual: actual)
    }
}
