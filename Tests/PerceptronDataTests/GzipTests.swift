import Foundation
import Testing
import PerceptronData

@Suite("Gzip decompression")
struct GzipTests {
    @Test("a small gzip member decompresses to its contents")
    func smallMember() throws {
        #expect(try Gzip.decompress(helloGzip) == Array("Hello, MNIST!\n".utf8))
    }

    @Test("concatenated members decompress to the concatenation, as gunzip does")
    func multipleMembers() throws {
        #expect(try Gzip.decompress(helloGzip + secondMemberGzip) == Array("Hello, MNIST!\nsecond member\n".utf8))
    }

    @Test("a file compressed by the system gzip comes back byte for byte", .enabled(if: systemGzipIsPresent))
    func systemGzipRoundTrip() throws {
        let directory = try TemporaryDirectory()
        // 1 MB of varied bytes: more than the 256 KB inflate buffer, so it takes several rounds.
        var generator = SystemRandomNumberGenerator()
        let original = (0..<1_000_000).map { index in index % 7 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(index % 251) }
        let compressed = try gzipWithSystemTool(original, in: directory)
        #expect(compressed.count < original.count)
        #expect(try Gzip.decompress(compressed) == original)
    }

    @Test("data cut short is reported as truncated")
    func truncated() {
        let cut = Array(helloGzip.prefix(helloGzip.count - 6))
        #expect(throws: GzipError.truncated(inputBytes: cut.count)) { try Gzip.decompress(cut) }
    }

    @Test("empty input is reported as truncated")
    func empty() {
        #expect(throws: GzipError.truncated(inputBytes: 0)) { try Gzip.decompress([]) }
    }

    @Test("a damaged checksum is reported as corrupt data, with zlib's reason")
    func corruptChecksum() throws {
        var damaged = helloGzip
        damaged[damaged.count - 8] ^= 0xff  // the CRC-32 in the trailer
        let error = try #require(throws: GzipError.self) { try Gzip.decompress(damaged) }
        guard case .corrupt(_, let reason) = error else {
            Issue.record("expected .corrupt, got \(error)")
            return
        }
        #expect(reason.contains("check"))
        #expect(error.description.contains("corrupt gzip data"))
    }

    @Test("bytes that are not gzip at all are reported as corrupt")
    func notGzip() throws {
        let error = try #require(throws: GzipError.self) { try Gzip.decompress(Array("label,1x1,1x2\n".utf8)) }
        guard case .corrupt = error else {
            Issue.record("expected .corrupt, got \(error)")
            return
        }
    }

    @Test("garbage after the last member is an error, not silently ignored")
    func trailingGarbage() {
        #expect(throws: GzipError.self) { try Gzip.decompress(helloGzip + Array("junk!".utf8)) }
    }

    @Test("output beyond the cap is refused")
    func outputCap() {
        #expect(throws: GzipError.outputTooLarge(limit: 10)) { try Gzip.decompress(helloGzip, maximumOutputSize: 10) }
        #expect(throws: Never.self) { try Gzip.decompress(helloGzip, maximumOutputSize: 14) }
    }

    @Test("the gzip magic bytes are recognised")
    func magic() {
        #expect(Gzip.isCompressed(helloGzip))
        #expect(!Gzip.isCompressed(idxLabelFile([1, 2])))
        #expect(!Gzip.isCompressed([0x1f]))
    }
}
