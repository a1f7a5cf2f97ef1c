import Foundation
import Testing
import Perceptron
import PerceptronData

/// The tests use 2×2 images: each line is a label and 4 pixels.
@Suite("CSV reader")
struct CSVReaderTests {
    let expected = LabeledImages(images: [0, 128, 255, 7, 1, 2, 3, 4], labels: [5, 9], rows: 2, columns: 2)

    @Test("lines without a header are all examples")
    func withoutHeader() throws {
        let text = "5,0,128,255,7\n9,1,2,3,4\n"
        #expect(try CSVReader.parse(Array(text.utf8), file: "plain.csv", rows: 2, columns: 2) == expected)
    }

    @Test("a first line whose first field is not an integer is a header and skipped")
    func withHeader() throws {
        let text = "label,1x1,1x2,2x1,2x2\n5,0,128,255,7\n9,1,2,3,4\n"
        #expect(try CSVReader.parse(Array(text.utf8), file: "header.csv", rows: 2, columns: 2) == expected)
    }

    @Test("CRLF line endings, no final newline and blank lines are accepted")
    func lineEndings() throws {
        let text = "label,a,b,c,d\r\n5,0,128,255,7\r\n\r\n9,1,2,3,4"
        #expect(try CSVReader.parse(Array(text.utf8), file: "crlf.csv", rows: 2, columns: 2) == expected)
    }

    @Test("a field that is not an integer is reported with the file, line and field")
    func badField() throws {
        let text = "label,a,b,c,d\n5,0,128,255,7\n9,1,2x,3,4\n"
        let error = try #require(throws: CSVError.self) { try CSVReader.parse(Array(text.utf8), file: "/data/bad.csv", rows: 2, columns: 2) }
        #expect(error == .notAnInteger(path: "/data/bad.csv", line: 3, field: 3, text: "2x"))
        #expect(error.description.contains("/data/bad.csv:3"))
        #expect(error.description.contains("\"2x\""))
    }

    @Test("an empty field is not an integer")
    func emptyField() throws {
        let error = try #require(throws: CSVError.self) { try CSVReader.parse(Array("5,0,,255,7\n".utf8), file: "f.csv", rows: 2, columns: 2) }
        #expect(error == .notAnInteger(path: "f.csv", line: 1, field: 3, text: ""))
    }

    @Test("too few fields on a line are reported with the line number")
    func tooFewFields() throws {
        let text = "5,0,128,255,7\n9,1,2,3\n"
        let error = try #require(throws: CSVError.self) { try CSVReader.parse(Array(text.utf8), file: "short.csv", rows: 2, columns: 2) }
        #expect(error == .wrongFieldCount(path: "short.csv", line: 2, expected: 5, found: 4))
        #expect(error.description.contains("short.csv:2"))
    }

    @Test("too many fields on a line are reported with the line number and the real count")
    func tooManyFields() throws {
        let text = "label,a,b,c,d\n5,0,128,255,7,1,1\n"
        let error = try #require(throws: CSVError.self) { try CSVReader.parse(Array(text.utf8), file: "long.csv", rows: 2, columns: 2) }
        #expect(error == .wrongFieldCount(path: "long.csv", line: 2, expected: 5, found: 7))
    }

    @Test("a pixel above 255 is rejected, even one too long for an Int")
    func pixelOutOfRange() throws {
        #expect(throws: CSVError.pixelOutOfRange(path: "p.csv", line: 1, field: 4, text: "256")) {
            try CSVReader.parse(Array("5,0,128,256,7\n".utf8), file: "p.csv", rows: 2, columns: 2)
        }
        let huge = String(repeating: "9", count: 40)
        #expect(throws: CSVError.pixelOutOfRange(path: "p.csv", line: 1, field: 2, text: String(huge.prefix(20)) + "…")) {
            try CSVReader.parse(Array("5,\(huge),1,2,3\n".utf8), file: "p.csv", rows: 2, columns: 2)
        }
    }

    @Test("a label of 10 is rejected with the line number")
    func labelOutOfRange() throws {
        let error = try #require(throws: CSVError.self) { try CSVReader.parse(Array("5,0,0,0,0\n10,0,0,0,0\n".utf8), file: "l.csv", rows: 2, columns: 2) }
        #expect(error == .labelOutOfRange(path: "l.csv", line: 2, text: "10"))
        #expect(error.description.contains("l.csv:2"))
    }

    @Test("a file with only a header holds no examples")
    func headerOnly() {
        #expect(throws: CSVError.noExamples(path: "h.csv")) {
            try CSVReader.parse(Array("label,a,b,c,d\n".utf8), file: "h.csv", rows: 2, columns: 2)
        }
        #expect(throws: CSVError.noExamples(path: "h.csv")) { try CSVReader.parse([], file: "h.csv", rows: 2, columns: 2) }
    }

    @Test("errors from a file on disk name its full path")
    func fromFile() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write("label,a,b,c,d\n5,0,128,255,7\n9,1,2,3,x\n", to: "digits.csv")
        let error = try #require(throws: CSVError.self) { try CSVReader.read(from: url, rows: 2, columns: 2) }
        #expect(error.description.contains(url.path + ":3"))
    }

    @Test("CSV converted to IDX has the layout of the original files")
    func csvToIDX() throws {
        let set = try CSVReader.parse(Array("label,a,b,c,d\n5,0,128,255,7\n9,1,2,3,4\n".utf8), file: "c.csv", rows: 2, columns: 2)
        #expect(IDXWriter.labelFile(for: set) == bigEndian(2049) + bigEndian(2) + [5, 9])
        #expect(IDXWriter.imageFile(for: set) == idxImageFile(rows: 2, columns: 2, pixels: [0, 128, 255, 7, 1, 2, 3, 4]))
    }
}
