import Foundation
import Perceptron

/// Writes IDX files in the layout `IDXReader` reads: the magic number, the dimensions as 32-bit
/// big-endian integers, then the bytes. For MNIST's data the output is byte for byte the
/// distributed file.
public enum IDXWriter {
    /// The bytes of an image file (`idx3-ubyte`) holding `set`'s images.
    public static func imageFile(for set: LabeledImages) -> [UInt8] {
        var bytes = header(kind: .images, dimensions: [set.count, set.rows, set.columns])
        bytes.reserveCapacity(bytes.count + set.images.count)
        bytes.append(contentsOf: set.images)
        return bytes
    }

    /// The bytes of a label file (`idx1-ubyte`) holding `set`'s labels.
    public static func labelFile(for set: LabeledImages) -> [UInt8] {
        var bytes = header(kind: .labels, dimensions: [set.count])
        bytes.append(contentsOf: set.labels)
        return bytes
    }

    /// Writes `set` as an image file and a label file, each atomically (see `FileBytes.writeAtomically`).
    public static func write(_ set: LabeledImages, imagesTo imagesURL: URL, labelsTo labelsURL: URL) throws {
        try FileBytes.writeAtomically(imageFile(for: set), to: imagesURL)
        try FileBytes.writeAtomically(labelFile(for: set), to: labelsURL)
    }

    private static func header(kind: IDXKind, dimensions: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for word in [Int(kind.magic)] + dimensions {
            precondition(word >= 0 && word <= Int(UInt32.max), "IDX dimensions must fit in 32 bits, got \(word)")
            bytes += [UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                      UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return bytes
    }
}
