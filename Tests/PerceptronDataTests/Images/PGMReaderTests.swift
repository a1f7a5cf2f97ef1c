import Foundation
import Testing
import PerceptronData

@Suite("PGM reading and writing")
struct PGMReaderTests {
    /// Decodes `text` as `path` and returns the PGMError thrown, checking that its description
    /// names the file and is one line.
    private func error(_ bytes: [UInt8], path: String = "/tmp/digit.pgm") throws -> PGMError {
        let error = try #require(throws: PGMError.self) { try PGMReader.decode(bytes, path: path) }
        #expect(error.description.hasPrefix(path + ": "))
        #expect(!error.description.contains("\n"))
        return error
    }

    private func error(_ text: String, path: String = "/tmp/digit.pgm") throws -> PGMError {
        try error(Array(text.utf8), path: path)
    }

    @Test("P2 with comments in the header and between samples")
    func plainWithComments() throws {
        let text = "P2\n# made by hand\n3 # width\n 2\n# maxval next\n10\n0 5 10\n# second row\n10\t5\r\n0\n"
        let image = try PGMReader.decode(Array(text.utf8), path: "plain.pgm")
        #expect(image.width == 3 && image.height == 2)
        #expect(image.pixels == [0, 0.5, 1, 1, 0.5, 0])
    }

    @Test("P5 with 8-bit samples, a comment, and a second image after it ignored")
    func binary8() throws {
        let bytes = Array("P5 # binary\n2 2 255\n".utf8) + [0, 51, 204, 255] + Array("P5 1 1 255\n".utf8) + [7]
        let image = try PGMReader.decode(bytes, path: "binary.pgm")
        #expect(image == GreyImage(width: 2, height: 2, bytes: [0, 51, 204, 255]))
    }

    @Test("P5 with maxval above 255 has 16-bit big-endian samples")
    func binary16() throws {
        let bytes = Array("P5\n3 1\n1000\n".utf8) + [0x00, 0x00, 0x01, 0xF4, 0x03, 0xE8]
        #expect(try PGMReader.decode(bytes, path: "deep.pgm").pixels == [0, 0.5, 1])
        let p2 = try PGMReader.decode(Array("P2 2 1 65535 65535 0".utf8), path: "deep2.pgm")
        #expect(p2.pixels == [1, 0])
    }

    @Test("the writer's P5 files read back exactly")
    func writerRoundTrip() throws {
        let bytes = pseudoRandomBytes(5 * 3, seed: 9)
        let file = PGMWriter.encode(grey8: bytes, width: 5, height: 3)
        #expect(file.starts(with: Array("P5\n5 3\n255\n".utf8)))
        #expect(try PGMReader.decode(file, path: "written.pgm") == GreyImage(width: 5, height: 3, bytes: bytes))
        let image = GreyImage(width: 2, height: 1, pixels: [0.2, 0.8])
        #expect(try PGMReader.decode(PGMWriter.encode(image), path: "image.pgm").bytes == image.bytes)
    }

    @Test("maxval 0 or above 65535 is refused")
    func badMaxval() throws {
        #expect(try error("P2 1 1 0 0") == .badMaxval(path: "/tmp/digit.pgm", found: "0"))
        let found = try error("P5 1 1 70000\n\0\0")
        #expect(found == .badMaxval(path: "/tmp/digit.pgm", found: "70000"))
        #expect(found.description.contains("1 ... 65535"))
    }

    @Test("too few data bytes (P5) or values (P2) are reported as truncated")
    func truncated() throws {
        #expect(try error(Array("P5\n3 2\n255\n".utf8) + [1, 2, 3, 4]) == .truncatedBinary(path: "/tmp/digit.pgm", expectedBytes: 6, foundBytes: 4))
        #expect(try error(Array("P5\n2 1\n256\n".utf8) + [0, 1, 0]) == .truncatedBinary(path: "/tmp/digit.pgm", expectedBytes: 4, foundBytes: 3))
        #expect(try error("P5\n2 1\n255") == .truncatedBinary(path: "/tmp/digit.pgm", expectedBytes: 2, foundBytes: 0))
        #expect(try error("P2\n2 2\n9\n1 2\n3\n") == .truncatedText(path: "/tmp/digit.pgm", expectedValues: 4, foundValues: 3))
    }

    @Test("a sample above maxval is named with its position")
    func sampleAboveMaxval() throws {
        #expect(try error("P2 2 2 9  1 2  3 12") == .sampleAboveMaxval(path: "/tmp/digit.pgm", x: 1, y: 1, found: "12", maxval: 9))
        #expect(try error(Array("P5 2 1 100\n".utf8) + [100, 101]) == .sampleAboveMaxval(path: "/tmp/digit.pgm", x: 1, y: 0, found: "101", maxval: 100))
        let huge = String(repeating: "9", count: 30)
        #expect(try error("P2 1 1 9 \(huge)") == .sampleAboveMaxval(path: "/tmp/digit.pgm", x: 0, y: 0, found: String(huge.prefix(20)), maxval: 9))
    }

    @Test("a P2 sample that is not a number is named with its position")
    func badSample() throws {
        #expect(try error("P2 2 1 9 4 x5") == .badSample(path: "/tmp/digit.pgm", x: 1, y: 0, found: "\"x5\""))
        #expect(try error("P2 2 1 9 -4 5") == .badSample(path: "/tmp/digit.pgm", x: 0, y: 0, found: "\"-4\""))
    }

    @Test("header fields that are missing or not numbers, zero sizes and huge sizes are refused")
    func badHeaders() throws {
        #expect(try error("P5\n3") == .badHeaderField(path: "/tmp/digit.pgm", field: "height", found: "the end of the file"))
        #expect(try error("P5 abc 2 255\n") == .badHeaderField(path: "/tmp/digit.pgm", field: "width", found: "\"abc\""))
        #expect(try error("P5 3 2 2.5\n") == .badHeaderField(path: "/tmp/digit.pgm", field: "maximum value", found: "\"2.5\""))
        #expect(try error("P5 0 2 255\n") == .emptyImage(path: "/tmp/digit.pgm", width: 0, height: 2))
        #expect(try error("P5 100000 100000 255\n") == .tooLarge(path: "/tmp/digit.pgm", width: "100000", height: "100000", limit: 8192))
        let enormous = String(repeating: "9", count: 40)
        #expect(try error("P5 \(enormous) 1 255\n") == .tooLarge(path: "/tmp/digit.pgm", width: String(enormous.prefix(20)), height: "1", limit: 8192))
    }

    @Test("other Netpbm and image files are not PGM, and the message says what they are")
    func notPGM() throws {
        let ppm = try error("P6 1 1 255\n\0\0\0", path: "colour.ppm")
        #expect(ppm == .notPGM(path: "colour.ppm", found: Array("P6 1 1 2".utf8)))
        #expect(ppm.description.contains("PPM"))
        #expect(try error([0x89, 0x50]) == .notPGM(path: "/tmp/digit.pgm", found: [0x89, 0x50]))
        #expect(try error("") == .notPGM(path: "/tmp/digit.pgm", found: []))
    }

    @Test("every prefix of a P2 and a P5 file that ends before the last sample is an error, never a crash")
    func prefixes() {
        // The P2 file's last sample ends one byte before its end (the final newline).
        let files = [
            (Array("P2\n# c\n3 2\n10\n0 5 10\n10 5 0\n".utf8), 1),
            (Array("P5\n3 2\n1000\n".utf8) + pseudoRandomBytes(12, seed: 2).map { $0 & 3 }, 0),
        ]
        for (file, trailing) in files {
            for length in 0 ..< file.count - trailing {
                #expect(throws: PGMError.self, "cut at \(length)") { try PGMReader.decode(Array(file.prefix(length)), path: "cut.pgm") }
            }
            #expect(throws: Never.self) { try PGMReader.decode(file, path: "whole.pgm") }
        }
    }
}
