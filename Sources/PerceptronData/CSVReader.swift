import Foundation
import Perceptron

/// Reads labelled images from the CSV form in which MNIST is often shared.
///
/// Each line is one example: the label (0–9), then the pixels (0–255) of a `rows × columns` image
/// in row-major order, all as decimal integers separated by commas, `label,p1,p2,…,p784` for
/// MNIST. The first line may be a header (such as `label,1x1,1x2,…`); it is recognised by its
/// first field not being an integer, and skipped. Lines end in `\n` or `\r\n`; blank lines are
/// ignored. There is no quoting and no whitespace inside lines.
///
/// Parsing is a single pass over the bytes of the file, which is read whole: the 110 MB MNIST
/// training file takes well under a second in a release build.
public enum CSVReader {
    /// Reads the CSV file at `url` (decompressing it first if it is gzip data).
    public static func read(from url: URL, rows: Int = 28, columns: Int = 28) throws -> LabeledImages {
        try parse(FileBytes.readDecompressing(url), file: url.path, rows: rows, columns: columns)
    }

    /// Parses CSV text held in memory. `file` names the source in error messages.
    public static func parse(_ bytes: [UInt8], file: String, rows: Int = 28, columns: Int = 28) throws -> LabeledImages {
        precondition(rows > 0 && columns > 0, "images need at least one row and one column")
        let (labels, images) = try parseLines(bytes, file: file, pixelsPerLine: rows * columns)
        return LabeledImages(images: images, labels: labels, rows: rows, columns: columns)
    }

    /// The labels and pixels of every line of `bytes`: `pixelsPerLine` pixels per line, after a
    /// label of at most `largestLabel` when `labelled` (then `labels` has one per line; otherwise
    /// it is empty). Throws `CSVError.noExamples` when no line holds an example.
    static func parseLines(_ bytes: [UInt8], file: String, pixelsPerLine: Int, labelled: Bool = true,
                           largestLabel: Int = 9) throws -> (labels: [UInt8], pixels: [UInt8]) {
        precondition(pixelsPerLine > 0, "images need at least one pixel")
        let labelFields = labelled ? 1 : 0
        let fieldsPerLine = pixelsPerLine + labelFields

        var images: [UInt8] = []
        var labels: [UInt8] = []
        // Reserve room for one example per line so the arrays never grow while parsing — but never
        // more lines than the text could hold (each needs at least one byte per field), so blank
        // lines cannot make a small file reserve gigabytes.
        let newlines = bytes.reduce(into: 1) { count, byte in if byte == newline { count += 1 } }
        let lineCount = min(newlines, bytes.count / (2 * fieldsPerLine) + 1)
        images.reserveCapacity(lineCount * pixelsPerLine)
        labels.reserveCapacity(labelled ? lineCount : 0)
        var examples = 0

        try bytes.withUnsafeBufferPointer { text in
            var lineStart = 0
            var lineNumber = 0
            while lineStart < text.count {
                lineNumber += 1
                // The line is text[lineStart..<lineEnd], without its "\n" or "\r\n".
                var next = lineStart
                while next < text.count && text[next] != newline { next += 1 }
                var lineEnd = next
                if lineEnd > lineStart && text[lineEnd - 1] == carriageReturn { lineEnd -= 1 }
                defer { lineStart = next + 1 }

                if lineEnd == lineStart { continue }  // a blank line
                if lineNumber == 1 && !startsWithInteger(text, from: lineStart, to: lineEnd) { continue }  // a header

                // One field at a time: digits accumulate into `value` until a comma or the line's end.
                var field = 1
                var fieldStart = lineStart
                var value = 0
                var position = lineStart
                while true {
                    let atEnd = position == lineEnd
                    let byte = atEnd ? comma : text[position]
                    if byte >= zero && byte <= nine {
                        // Stop growing past 999: the value is already out of range and must not overflow.
                        if value <= 999 { value = value * 10 + Int(byte - zero) }
                    } else if byte == comma {
                        guard position > fieldStart else {
                            throw CSVError.notAnInteger(path: file, line: lineNumber, field: field, text: "")
                        }
                        guard field <= fieldsPerLine else {
                            throw CSVError.wrongFieldCount(path: file, line: lineNumber, expected: fieldsPerLine,
                                                           found: fieldCount(text, from: lineStart, to: lineEnd), labelled: labelled)
                        }
                        if field <= labelFields {
                            guard value <= largestLabel else {
                                throw CSVError.labelOutOfRange(path: file, line: lineNumber, text: snippet(text, from: fieldStart, to: position),
                                                               largest: largestLabel)
                            }
                            labels.append(UInt8(value))
                        } else {
                            guard value <= 255 else {
                                throw CSVError.pixelOutOfRange(path: file, line: lineNumber, field: field, text: snippet(text, from: fieldStart, to: position))
                            }
                            images.append(UInt8(value))
                        }
                        if atEnd { break }
                        field += 1
                        fieldStart = position + 1
                        value = 0
                    } else {
                        var fieldEnd = position
                        while fieldEnd < lineEnd && text[fieldEnd] != comma { fieldEnd += 1 }
                        throw CSVError.notAnInteger(path: file, line: lineNumber, field: field,
                                                    text: snippet(text, from: fieldStart, to: fieldEnd))
                    }
                    position += 1
                }
                guard field == fieldsPerLine else {
                    throw CSVError.wrongFieldCount(path: file, line: lineNumber, expected: fieldsPerLine, found: field, labelled: labelled)
                }
                examples += 1
            }
        }

        guard examples > 0 else { throw CSVError.noExamples(path: file) }
        return (labels, images)
    }

    /// Whether the line's first field is a (non-empty) decimal integer.
    private static func startsWithInteger(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var position = start
        while position < end && text[position] >= zero && text[position] <= nine { position += 1 }
        return position > start && (position == end || text[position] == comma)
    }

    /// The number of comma-separated fields in a line.
    private static func fieldCount(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        text[start..<end].reduce(1) { count, byte in byte == comma ? count + 1 : count }
    }

    /// A field's text for an error message, at most 20 characters.
    private static func snippet(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String {
        let shown = String(decoding: text[start..<min(end, start + 20)], as: UTF8.self)
        return end - start > 20 ? shown + "…" : shown
    }

    private static var newline: UInt8 { UInt8(ascii: "\n") }
    private static var carriageReturn: UInt8 { UInt8(ascii: "\r") }
    private static var comma: UInt8 { UInt8(ascii: ",") }
    private static var zero: UInt8 { UInt8(ascii: "0") }
    private static var nine: UInt8 { UInt8(ascii: "9") }
}
