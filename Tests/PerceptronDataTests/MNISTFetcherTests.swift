import Foundation
import Testing
import PerceptronData

/// These tests never touch the network: mirrors are `file://` directories that curl reads.
@Suite("Fetching MNIST")
struct MNISTFetcherTests {
    let curlIsPresent = findExecutable("curl") != nil

    @Test("a mirror serving the wrong bytes is an error naming the file and both hashes, leaving no temporary files",
          .enabled(if: systemGzipIsPresent && findExecutable("curl") != nil))
    func mismatchAfterDownload() throws {
        let mirror = try TemporaryDirectory()
        let wrong = Array("not the MNIST training images".utf8)
        try mirror.write(gzipWithSystemTool(wrong, in: mirror), to: "train-images-idx3-ubyte.gz")
        let target = try TemporaryDirectory()
        let base = mirror.url.absoluteString.hasSuffix("/") ? mirror.url.absoluteString : mirror.url.absoluteString + "/"
        let fetcher = MNISTFetcher(directory: target.url, mirrors: [base], usesPyPIFallback: false, log: { _ in })

        let error = try #require(throws: FetchError.self) { try fetcher.fetch() }
        #expect(error == .checksumMismatch(name: "train-images-idx3-ubyte", source: base + "train-images-idx3-ubyte.gz",
                                           expected: MNISTFile.trainImages.sha256, actual: SHA256.hexDigest(wrong)))
        #expect(error.description.contains("train-images-idx3-ubyte"))
        #expect(error.description.contains(MNISTFile.trainImages.sha256))
        #expect(error.description.contains(SHA256.hexDigest(wrong)))
        #expect(try target.fileNames() == [])
    }

    @Test("when no mirror has the files, one line says so and the error names the files, leaving no temporary files",
          .enabled(if: findExecutable("curl") != nil))
    func mirrorsUnreachable() throws {
        let emptyMirror = try TemporaryDirectory()
        let target = try TemporaryDirectory()
        let log = LogRecorder()
        // A base URL without the final "/": the fetcher adds it.
        let fetcher = MNISTFetcher(directory: target.url, mirrors: [emptyMirror.url.absoluteString], usesPyPIFallback: false, log: { log.record($0) })
        let error = try #require(throws: FetchError.self) { try fetcher.fetch() }
        #expect(error == .notFetched(names: MNISTFile.allCases.map(\.name), directory: target.url.standardizedFileURL.path))
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.hasPrefix("fetch: mirrors unreachable (") == true)
        #expect(try target.fileNames() == [])
    }

    @Test("a directory that cannot be created is reported with its path")
    func cannotCreateDirectory() throws {
        let scratch = try TemporaryDirectory()
        let blocker = try scratch.write("a file, not a directory", to: "blocker")
        let target = blocker.appendingPathComponent("mnist")
        let error = try #require(throws: FetchError.self) { try MNISTFetcher(directory: target, log: { _ in }).fetch() }
        guard case .cannotCreateDirectory(let path, _) = error else {
            Issue.record("expected .cannotCreateDirectory, got \(error)")
            return
        }
        #expect(path == target.path)
    }

    /// Uses the real files (hashing 55 MB takes seconds in a debug build, so one test covers both cases).
    @Test("verified files are kept and a damaged one is fetched again from the first mirror that has it",
          .enabled(if: realMNISTIsPresent && systemGzipIsPresent && findExecutable("curl") != nil))
    func keepsVerifiedFilesAndReplacesDamagedOne() throws {
        let target = try TemporaryDirectory()
        for file in MNISTFile.allCases {
            try FileManager.default.copyItem(at: realMNISTDirectory.appendingPathComponent(file.name), to: target.url.appendingPathComponent(file.name))
        }
        let damaged = target.url.appendingPathComponent(MNISTFile.testLabels.name)
        var bytes = [UInt8](try Data(contentsOf: damaged))
        bytes[100] ^= 1
        try Data(bytes).write(to: damaged)

        let mirror = try TemporaryDirectory()
        let original = [UInt8](try Data(contentsOf: realMNISTDirectory.appendingPathComponent(MNISTFile.testLabels.name)))
        try mirror.write(gzipWithSystemTool(original, in: mirror), to: MNISTFile.testLabels.name + ".gz")
        let emptyMirror = try TemporaryDirectory()

        let log = LogRecorder()
        let fetcher = MNISTFetcher(directory: target.url, mirrors: [emptyMirror.url.absoluteString, mirror.url.absoluteString],
                                   usesPyPIFallback: false, log: { log.record($0) })
        try fetcher.fetch()

        #expect(try [UInt8](Data(contentsOf: damaged)) == original)
        let lines = log.lines
        #expect(lines.count == 5)
        #expect(Array(lines.prefix(3)) == [MNISTFile.trainImages, .trainLabels, .testImages].map { "fetch: \($0.name) ok (already present, verified sha256)" })
        #expect(lines.dropFirst(3).first == "fetch: t10k-labels-idx1-ubyte present but its sha256 does not match, fetching it again")
        #expect(lines.last?.hasPrefix("fetch: t10k-labels-idx1-ubyte ok (downloaded file://") == true)
        #expect(try target.fileNames() == MNISTFile.allCases.map(\.name).sorted())
    }
}
