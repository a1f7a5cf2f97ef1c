import Foundation
@testable import Perceptron
import Testing

@Suite("Atomic file")
struct AtomicFileTests {
    /// A new empty folder, removed by `body`'s end.
    static func inFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("AtomicFileTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    @Test("a write puts the bytes in place, a second replaces them, and no temporary file is left")
    func writesAndReplaces() throws {
        try Self.inFolder { folder in
            let url = folder.appendingPathComponent("numbers.bin")
            try AtomicFile.write([1, 2, 3, 4, 5], to: url)
            try AtomicFile.write("six", to: url)
            #expect(try [UInt8](Data(contentsOf: url)) == Array("six".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["numbers.bin"])
        }
    }

    @Test("a file in a missing folder is an error naming the file, the failed step and the system's reason")
    func missingFolder() throws {
        try Self.inFolder { folder in
            let url = folder.appendingPathComponent("absent/model.safetensors")
            let error = try #require(throws: AtomicFileError.self) { try AtomicFile.write([0], to: url) }
            #expect(error.path == url.path)
            #expect(error.step.hasPrefix("create .model.safetensors."))
            #expect(error.reason == String(cString: strerror(ENOENT)))
            #expect(error.description == "cannot write \(url.path): could not \(error.step) (\(error.reason)): "
                    + "the folder \(folder.appendingPathComponent("absent").path) does not exist")
            #expect(error.localizedDescription == error.description)
        }
    }
}

@Suite("Atomic file errors in plain words")
struct AtomicFileErrorTests {
    @Test("a full disk names the sizes and says what to do; permission and read-only say theirs")
    func advice() {
        let full = AtomicFileError(ENOSPC, path: "/tmp/run/model.safetensors", step: "write its bytes", size: 3_200_000)
        #expect(full.advice?.hasPrefix("the disk is full — 3.2 MB were to be written") == true)
        #expect(full.description.hasSuffix("; free some space or write elsewhere"))
        #expect(AtomicFileError(EACCES, path: "/x/m", step: "create .m.1.tmp").advice?.contains("may not write there") == true)
        #expect(AtomicFileError(EROFS, path: "/x/m", step: "create .m.1.tmp").advice == "the file system is read-only; write elsewhere")
        #expect(AtomicFileError(EIO, path: "/x/m", step: "write its bytes").advice == nil)
    }
}
