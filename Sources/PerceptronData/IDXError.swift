/// Why a file is not a valid IDX image or label file (see `IDXReader` for the format).
///
/// Every case carries the file's path; `description` is one line saying what is wrong, what was
/// expected, what was found, and what to do.
public enum IDXError: Error, CustomStringConvertible, Equatable {
    /// The file is shorter than the header.
    case shorterThanHeader(path: String, kind: IDXKind, headerBytes: Int, fileBytes: Int)
    /// The magic number is not the one for this kind of file.
    case wrongMagic(path: String, kind: IDXKind, found: UInt32)
    /// The header's dimensions multiply to more bytes than can exist.
    case sizeOverflow(path: String, dimensions: [Int])
    /// The header describes more data than the file holds.
    case truncated(path: String, dimensions: [Int], expectedDataBytes: Int, actualDataBytes: Int)
    /// The file holds more bytes than the header describes.
    case trailingBytes(path: String, dimensions: [Int], expectedDataBytes: Int, actualDataBytes: Int)
    /// An image file whose images have no pixels (zero rows or zero columns).
    case emptyImages(path: String, rows: Int, columns: Int)
    /// Images of a size other than the dataset's (28×28 for MNIST, the training images' for test images).
    case wrongImageSize(path: String, expectedRows: Int, expectedColumns: Int, rows: Int, columns: Int)
    /// A label outside `0..<classes` (0...9 for digits).
    case labelOutOfRange(path: String, index: Int, value: UInt8, classes: Int = 10)
    /// The image file and the label file disagree on how many examples there are.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)

    public var description: String {
        let replace = "the file is damaged or not an IDX file; replace it (for MNIST: run `perceptron fetch --force`)"
        switch self {
        case .shorterThanHeader(let path, let kind, let headerBytes, let fileBytes):
            return "\(path): too short for an IDX \(kind) file: the header alone is \(headerBytes) bytes, the file has \(fileBytes); \(replace)"
        case .wrongMagic(let path, let kind, let found):
            return "\(path): wrong magic number: expected \(kind.magic) (an IDX \(kind) file), found \(found)\(Self.guess(magic: found)); \(replace)"
        case .sizeOverflow(let path, let dimensions):
            return "\(path): the header's dimensions \(Self.text(dimensions)) describe more bytes than any file can hold; \(replace)"
        case .truncated(let path, let dimensions, let expected, let actual):
            return "\(path): truncated: the header's dimensions \(Self.text(dimensions)) need \(expected) data bytes but the file has \(actual); the file is incomplete, replace it (for MNIST: run `perceptron fetch --force`)"
        case .trailingBytes(let path, let dimensions, let expected, let actual):
            return "\(path): \(actual - expected) unexpected bytes after the data: the header's dimensions \(Self.text(dimensions)) need \(expected) data bytes but the file has \(actual); \(replace)"
        case .emptyImages(let path, let rows, let columns):
            return "\(path): the header describes images of \(rows)×\(columns) pixels, which hold nothing; \(replace)"
        case .wrongImageSize(let path, let expectedRows, let expectedColumns, let rows, let columns):
            return "\(path): wrong image size: expected \(expectedRows)×\(expectedColumns) pixels, found \(rows)×\(columns); check that the directory holds the right dataset"
        case .labelOutOfRange(let path, let index, let value, let classes):
            return "\(path): label \(value) at position \(index) is outside 0...\(classes - 1); \(replace)"
        case .countMismatch(let imagesPath, let imageCount, let labelsPath, let labelCount):
            return "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds \(labelCount) labels: expected one label per image; check that the two files belong together (for MNIST: run `perceptron fetch --force`)"
        }
    }

    /// Dimensions written as `60000 × 28 × 28`.
    private static func text(_ dimensions: [Int]) -> String {
        dimensions.map(String.init).joined(separator: " × ")
    }

    /// A hint at what a file with this magic number really is, for common mistakes.
    private static func guess(magic: UInt32) -> String {
        switch magic {
        case IDXKind.images.magic: " (an image file)"
        case IDXKind.labels.magic: " (a label file)"
        case _ where magic >> 16 == 0x1f8b: " (gzip data: decompress it first)"
        default: ""
        }
    }
}

/// The two kinds of IDX file in MNIST-style datasets.
public enum IDXKind: String, Sendable, CustomStringConvertible {
    /// `idx3-ubyte`: a count, then rows and columns; pixels as unsigned bytes.
    case images
    /// `idx1-ubyte`: a count; labels as unsigned bytes.
    case labels

    /// The magic number: two zero bytes, the element type (0x08, unsigned byte), and the number of dimensions.
    public var magic: UInt32 {
        switch self {
        case .images: 0x0000_0803  // 2051
        case .labels: 0x0000_0801  // 2049
        }
    }

    /// The number of dimensions in the header: 3 for images, 1 for labels.
    public var dimensionCount: Int {
        switch self {
        case .images: 3
        case .labels: 1
        }
    }

    /// The header size in bytes: the magic number and one 32-bit size per dimension.
    public var headerBytes: Int { 4 + 4 * dimensionCount }

    public var description: String { String(rawValue.dropLast()) + " (idx\(dimensionCount)-ubyte)" }
}
