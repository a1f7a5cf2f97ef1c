import Foundation
import Perceptron

/// The files of Kaggle's "Digit Recognizer": `train.csv`, `test.csv`, and the submission that
/// answers `test.csv`.
///
/// `train.csv` is a header `label,pixel0,pixel1,…,pixelN`, then one image per line: its label,
/// then its pixels (0–255, row by row), as decimal integers separated by commas (see `CSVReader`,
/// which parses the lines). The images are square, their side the square root of the number of
/// pixel columns: 784 make 28 × 28, 64 make 8 × 8; any other count is refused. Labels may be
/// 0–255; the classes are `0` … the largest label. A file without a header is read too, its
/// columns counted on its first line. `test.csv` is the same without the label column, and a
/// submission is `ImageId,Label` then one line per test image, ImageId counting from 1.
/// Files may be gzip-compressed, and may start with a UTF-8 byte-order mark.
public enum KaggleCSV {
    /// The labelled images of a training file.
    public static func readTraining(from url: URL) throws -> LabeledImages {
        try parseTraining(FileBytes.readDecompressing(url), file: url.path)
    }

    /// The labelled images of a training file's bytes; `file` names it in errors.
    public static func parseTraining(_ bytes: [UInt8], file: String) throws -> LabeledImages {
        let bytes = withoutByteOrderMark(bytes)
        let first = firstLine(bytes)
        if let header = first.first, !header.allSatisfy(\.isNumber), header.lowercased().hasPrefix("pixel") {
            throw CSVError.noLabelColumn(path: file, firstColumn: header)
        }
        let pixels = first.count - 1
        let side = Int(Double(max(pixels, 0)).squareRoot().rounded())
        guard pixels > 0, side * side == pixels else { throw CSVError.notSquare(path: file, pixels: pixels) }
        let (labels, images) = try CSVReader.parseLines(bytes, file: file, pixelsPerLine: pixels, largestLabel: 255)
        return LabeledImages(images: images, labels: labels, rows: side, columns: side)
    }

    /// The images of a test file for a network of `pixels` inputs: each line holds `pixels`
    /// values, or a label and then `pixels` values (a training file; its labels are ignored).
    /// The result holds the images' bytes one after another, `pixels` each.
    public static func readTest(from url: URL, pixels: Int) throws -> [UInt8] {
        try parseTest(FileBytes.readDecompressing(url), file: url.path, pixels: pixels)
    }

    /// The images of a test file's bytes (see ``readTest(from:pixels:)``); `file` names it in errors.
    public static func parseTest(_ bytes: [UInt8], file: String, pixels: Int) throws -> [UInt8] {
        let bytes = withoutByteOrderMark(bytes)
        let columns = firstLine(bytes).count
        guard columns == pixels || columns == pixels + 1 else {
            throw CSVError.wrongColumnsForModel(path: file, columns: columns, pixels: pixels)
        }
        return try CSVReader.parseLines(bytes, file: file, pixelsPerLine: pixels, labelled: columns == pixels + 1, largestLabel: 255).pixels
    }

    /// The submission's text: `ImageId,Label`, then `k,labels[k-1]` for k from 1, each line ending in `\n`.
    public static func submission(_ labels: [String]) -> [UInt8] {
        var text = "ImageId,Label\n"
        for (index, label) in labels.enumerated() { text += "\(index + 1),\(label)\n" }
        return Array(text.utf8)
    }

    /// Writes the submission of `labels` to `url`, atomically.
    public static func writeSubmission(_ labels: [String], to url: URL) throws {
        try FileBytes.writeAtomically(submission(labels), to: url)
    }

    /// The comma-separated fields of the first line that is not blank, without quotes or spaces around them.
    static func firstLine(_ bytes: [UInt8]) -> [String] {
        var start = 0
        while start < bytes.count, bytes[start] == UInt8(ascii: "\n") || bytes[start] == UInt8(ascii: "\r") { start += 1 }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"' \r")) }
    }

    /// `bytes` without a leading UTF-8 byte-order mark (EF BB BF), which spreadsheets write.
    static func withoutByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }
}
