import Foundation
import Testing
import Perceptron
import PerceptronData

/// A Kaggle-layout training file's text: the header `label,pixel0,…`, then `label,pixels…` per image.
func kaggleTrainingText(_ set: LabeledImages) -> String {
    let header = (["label"] + (0..<set.pixelsPerImage).map { "pixel\($0)" }).joined(separator: ",")
    let lines = (0..<set.count).map { index in ([String(set.labels[index])] + set.pixels(of: index).map(String.init)).joined(separator: ",") }
    return ([header] + lines).joined(separator: "\n") + "\n"
}

@Suite("Kaggle's CSV layout")
struct KaggleCSVTests {
    /// Three 8×8 images labelled 3, 0 and 12.
    let eightByEight = LabeledImages(images: (0..<3 * 64).map { UInt8($0 * 7 % 256) }, labels: [3, 0, 12], rows: 8, columns: 8)

    @Test("the image side comes from the columns: 64 pixel columns are 8×8 images")
    func eightByEightImages() throws {
        let set = try KaggleCSV.parseTraining(Array(kaggleTrainingText(eightByEight).utf8), file: "digits.csv")
        #expect(set == eightByEight)
        #expect(set.rows == 8 && set.columns == 8)
    }

    @Test("784 pixel columns are 28×28 images")
    func mnistSizedImages() throws {
        let set = LabeledImages(images: (0..<2 * 784).map { UInt8($0 % 256) }, labels: [7, 1], rows: 28, columns: 28)
        #expect(try KaggleCSV.parseTraining(Array(kaggleTrainingText(set).utf8), file: "train.csv") == set)
    }

    @Test("labels up to 255 are classes, not errors")
    func largeLabels() throws {
        let text = "label,pixel0,pixel1,pixel2,pixel3\n200,0,1,2,3\n"
        #expect(try KaggleCSV.parseTraining(Array(text.utf8), file: "t.csv").labels == [200])
        let error = try #require(throws: CSVError.self) {
            try KaggleCSV.parseTraining(Array("label,pixel0,pixel1,pixel2,pixel3\n256,0,1,2,3\n".utf8), file: "t.csv")
        }
        #expect(error.description.contains("outside 0–255"))
    }

    @Test("a column count that is no square is refused, naming the file and the count")
    func notSquare() throws {
        let text = "label,pixel0,pixel1,pixel2\n1,0,0,0\n"
        let error = try #require(throws: CSVError.self) { try KaggleCSV.parseTraining(Array(text.utf8), file: "odd.csv") }
        #expect(error == .notSquare(path: "odd.csv", pixels: 3))
        #expect(error.description.contains("odd.csv") && error.description.contains("3 pixel columns") && error.description.contains("square"))
    }

    @Test("a test file given to train on is refused: its first column is a pixel, not the label")
    func testFileForTraining() throws {
        let text = "pixel0,pixel1,pixel2,pixel3\n0,1,2,3\n"
        let error = try #require(throws: CSVError.self) { try KaggleCSV.parseTraining(Array(text.utf8), file: "test.csv") }
        #expect(error == .noLabelColumn(path: "test.csv", firstColumn: "pixel0"))
        #expect(error.description.contains("test file"))
    }

    @Test("a file without a header, with CRLF line ends and a byte-order mark, reads the same")
    func headerlessWithByteOrderMark() throws {
        let text = "3,0,1,2,3\r\n4,5,6,7,8\r\n"
        let set = try KaggleCSV.parseTraining([0xEF, 0xBB, 0xBF] + Array(text.utf8), file: "plain.csv")
        #expect(set == LabeledImages(images: [0, 1, 2, 3, 5, 6, 7, 8], labels: [3, 4], rows: 2, columns: 2))
    }

    @Test("a test file gives its images, with or without a label column")
    func testFile() throws {
        let unlabelled = "pixel0,pixel1,pixel2,pixel3\n0,1,2,3\n9,8,7,6\n"
        #expect(try KaggleCSV.parseTest(Array(unlabelled.utf8), file: "test.csv", pixels: 4) == [0, 1, 2, 3, 9, 8, 7, 6])
        let labelled = "label,pixel0,pixel1,pixel2,pixel3\n5,0,1,2,3\n2,9,8,7,6\n"
        #expect(try KaggleCSV.parseTest(Array(labelled.utf8), file: "train.csv", pixels: 4) == [0, 1, 2, 3, 9, 8, 7, 6])
    }

    @Test("a test file whose columns do not fit the model is refused, saying what would")
    func testFileForAnotherModel() throws {
        let text = "pixel0,pixel1,pixel2,pixel3\n0,1,2,3\n"
        let error = try #require(throws: CSVError.self) { try KaggleCSV.parseTest(Array(text.utf8), file: "test.csv", pixels: 784) }
        #expect(error == .wrongColumnsForModel(path: "test.csv", columns: 4, pixels: 784))
        #expect(error.description.contains("784 pixel columns"))
    }

    @Test("a short line of a test file is named with its line and the fields it should have")
    func shortTestLine() throws {
        let text = "pixel0,pixel1,pixel2,pixel3\n0,1,2,3\n9,8,7\n"
        let error = try #require(throws: CSVError.self) { try KaggleCSV.parseTest(Array(text.utf8), file: "test.csv", pixels: 4) }
        #expect(error == .wrongFieldCount(path: "test.csv", line: 3, expected: 4, found: 3, labelled: false))
        #expect(error.description.contains("expected 4 (4 pixels)"))
    }

    @Test("a submission is ImageId,Label with ImageId from 1, one line per image")
    func submission() throws {
        let text = String(decoding: KaggleCSV.submission(["7", "2", "1"]), as: UTF8.self)
        #expect(text == "ImageId,Label\n1,7\n2,2\n3,1\n")
    }

    @Test("a submission written to disk reads back as written")
    func submissionFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("submission.csv")
        try KaggleCSV.writeSubmission(["cat", "dog"], to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "ImageId,Label\n1,cat\n2,dog\n")
        #expect(try directory.fileNames() == ["submission.csv"])
    }

    @Test("a file read from disk through loadDataset is a data set of its own without a test set")
    func throughLoadDataset() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(kaggleTrainingText(eightByEight), to: "digits.csv")
        let data = try loadDataset(nil, from: url)
        #expect(data.train == eightByEight)
        #expect(data.test == nil)
        #expect(data.dataset == .custom)
        #expect(data.classes == (0...12).map(String.init))
    }
}
