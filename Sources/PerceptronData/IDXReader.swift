import Foundation
import Perceptron

/// The images of one IDX image file.
public struct IDXImages: Sendable, Equatable {
    /// The number of images.
    public var count: Int
    /// The height and width of each image.
    public var rows: Int
    public var columns: Int
    /// `count * rows * columns` pixels, image after image, each row-major.
    public var pixels: [UInt8]

    public init(count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        self.count = count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
    }
}

/// Reads the IDX files in which MNIST and Fashion-MNIST are distributed (and other image sets,
/// of any image size and up to 256 classes).
///
/// An IDX file is a header followed by the data, with no padding:
///
///     offset  size  content
///     0       4     magic number: 0x00 0x00, element type (0x08 = unsigned byte), number of dimensions
///     4       4     size of dimension 1, a 32-bit big-endian unsigned integer
///     …       4     size of each further dimension
///     4+4n    …     the elements, unsigned bytes, last dimension varying fastest
///
/// Image files (`idx3-ubyte`, magic 2051 = 0x00000803) have three dimensions: image count, rows,
/// columns; then `count × rows × columns` pixel bytes. Label files (`idx1-ubyte`, magic 2049 =
/// 0x00000801) have one: the label count; then one byte per label.
///
/// The readers check everything the header claims against the real data *before* allocating for
/// it: the data must be exactly as long as the header says (a truncated file, or one with bytes
/// left over, is an error), so a damaged header cannot make them allocate more than the file's size.
/// Files are read whole, decompressed first if they are gzip data (see `FileBytes.readDecompressing`).
public enum IDXReader {
    /// Reads an image file (raw or gzip-compressed).
    public static func readImages(from url: URL) throws -> IDXImages {
        try readImages(from: FileBytes.readDecompressing(url), file: url.path)
    }

    /// Reads a label file (raw or gzip-compressed); every label must be below `classes` (in 0...9 by default).
    public static func readLabels(from url: URL, classes: Int = 10) throws -> [UInt8] {
        try readLabels(from: FileBytes.readDecompressing(url), file: url.path, classes: classes)
    }

    /// Reads an image file and its label file, checking that they hold the same number of examples.
    public static func readLabeledImages(images imagesURL: URL, labels labelsURL: URL) throws -> LabeledImages {
        let images = try readImages(from: imagesURL)
        let labels = try readLabels(from: labelsURL)
        return try combine(images, imagesFile: imagesURL.path, labels, labelsFile: labelsURL.path)
    }

    /// Parses the bytes of an image file. `file` names the file in error messages.
    public static func readImages(from bytes: [UInt8], file: String) throws -> IDXImages {
        let dimensions = try header(of: bytes, kind: .images, file: file)
        let (count, rows, columns) = (dimensions[0], dimensions[1], dimensions[2])
        guard rows > 0 && columns > 0 else {
            throw IDXError.emptyImages(path: file, rows: rows, columns: columns)
        }
        let pixels = Array(bytes[IDXKind.images.headerBytes...])
        return IDXImages(count: count, rows: rows, columns: columns, pixels: pixels)
    }

    /// Parses the bytes of a label file; every label must be below `classes` (in 0...9 by default;
    /// 256 lets every byte through). `file` names the file in error messages.
    public static func readLabels(from bytes: [UInt8], file: String, classes: Int = 10) throws -> [UInt8] {
        _ = try header(of: bytes, kind: .labels, file: file)
        let labels = Array(bytes[IDXKind.labels.headerBytes...])
        if let index = labels.firstIndex(where: { Int($0) >= classes }) {
            throw IDXError.labelOutOfRange(path: file, index: index, value: labels[index], classes: classes)
        }
        return labels
    }

    /// Pairs images with labels, checking that there is exactly one label per image.
    public static func combine(_ images: IDXImages, imagesFile: String, _ labels: [UInt8], labelsFile: String) throws -> LabeledImages {
        guard images.count == labels.count else {
            throw IDXError.countMismatch(imagesPath: imagesFile, imageCount: images.count, labelsPath: labelsFile, labelCount: labels.count)
        }
        return LabeledImages(images: images.pixels, labels: labels, rows: images.rows, columns: images.columns)
    }

    /// Checks the header of an IDX file of `kind` and returns its dimensions, after making sure
    /// that the data following the header is exactly as long as they say.
    private static func header(of bytes: [UInt8], kind: IDXKind, file: String) throws -> [Int] {
        guard bytes.count >= kind.headerBytes else {
            throw IDXError.shorterThanHeader(path: file, kind: kind, headerBytes: kind.headerBytes, fileBytes: bytes.count)
        }
        let magic = bigEndianUInt32(bytes, at: 0)
        guard magic == kind.magic else {
            throw IDXError.wrongMagic(path: file, kind: kind, found: magic)
        }
        let dimensions = (0..<kind.dimensionCount).map { Int(bigEndianUInt32(bytes, at: 4 + 4 * $0)) }

        // The data size is the product of the dimensions; three 32-bit sizes can multiply past
        // Int.max, so multiply with overflow checks.
        var dataBytes = 1
        for size in dimensions {
            let (product, overflow) = dataBytes.multipliedReportingOverflow(by: size)
            guard !overflow else { throw IDXError.sizeOverflow(path: file, dimensions: dimensions) }
            dataBytes = product
        }

        let actualDataBytes = bytes.count - kind.headerBytes
        if actualDataBytes < dataBytes {
            throw IDXError.truncated(path: file, dimensions: dimensions, expectedDataBytes: dataBytes, actualDataBytes: actualDataBytes)
        }
        if actualDataBytes > dataBytes {
            throw IDXError.trailingBytes(path: file, dimensions: dimensions, expectedDataBytes: dataBytes, actualDataBytes: actualDataBytes)
        }
        return dimensions
    }

    /// The 32-bit big-endian unsigned integer at `offset` (the caller checks that 4 bytes are there).
    private static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
