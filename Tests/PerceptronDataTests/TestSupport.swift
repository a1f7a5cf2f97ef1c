import Foundation
import Perceptron
import PerceptronData

/// A fresh directory under the system's temporary directory, removed when the value goes away.
/// Each test makes its own, so tests can run in parallel.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("PerceptronDataTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` inside the directory and returns its URL.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    /// Writes `text` to `name` inside the directory and returns its URL.
    @discardableResult
    func write(_ text: String, to name: String) throws -> URL {
        try write(Array(text.utf8), to: name)
    }

    /// The names of the files in the directory, hidden ones included, sorted.
    func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}

/// `value` as four big-endian bytes, the way IDX headers store sizes.
func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}

/// An IDX image file built byte by byte: magic 2051, count, rows, columns, then `pixels`
/// (which may deliberately disagree with the header).
func idxImageFile(count: UInt32, rows: UInt32, columns: UInt32, pixels: [UInt8]) -> [UInt8] {
    bigEndian(2051) + bigEndian(count) + bigEndian(rows) + bigEndian(columns) + pixels
}

/// An IDX label file built byte by byte: magic 2049, count, then `labels`.
func idxLabelFile(count: UInt32, labels: [UInt8]) -> [UInt8] {
    bigEndian(2049) + bigEndian(count) + labels
}

/// A consistent IDX image file holding `pixels` as images of `rows × columns`.
func idxImageFile(rows: Int, columns: Int, pixels: [UInt8]) -> [UInt8] {
    idxImageFile(count: UInt32(pixels.count / (rows * columns)), rows: UInt32(rows), columns: UInt32(columns), pixels: pixels)
}

/// A consistent IDX label file holding `labels`.
func idxLabelFile(_ labels: [UInt8]) -> [UInt8] {
    idxLabelFile(count: UInt32(labels.count), labels: labels)
}

/// `gzip -c -n` of "Hello, MNIST!\n" (made with Python's gzip module).
let helloGzip: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51,
    0xf0, 0xf5, 0xf3, 0x0c, 0x0e, 0x51, 0xe4, 0x02, 0x00, 0x67, 0x0f, 0x64, 0xe1, 0x0e, 0x00, 0x00, 0x00,
]

/// `gzip -c -n` of "second member\n".
let secondMemberGzip: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x2b, 0x4e, 0x4d, 0xce, 0xcf, 0x4b, 0x51,
    0xc8, 0x4d, 0xcd, 0x4d, 0x4a, 0x2d, 0xe2, 0x02, 0x00, 0x36, 0x18, 0x4b, 0x0e, 0x0e, 0x00, 0x00, 0x00,
]

/// The executable `name` in one of the `PATH` directories, if any.
func findExecutable(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// The system's `gzip`, if installed; tests that need to compress are skipped without it.
let systemGzip = findExecutable("gzip")
let systemGzipIsPresent = systemGzip != nil

/// Compresses `bytes` with the system's `gzip -n` (into a scratch file in `directory`).
func gzipWithSystemTool(_ bytes: [UInt8], in directory: TemporaryDirectory) throws -> [UInt8] {
    guard let gzip = systemGzip else { throw CocoaError(.executableNotLoadable) }
    let input = try directory.write(bytes, to: "to-compress-\(UUID().uuidString)")
    let output = input.appendingPathExtension("gz")
    defer { try? FileManager.default.removeItem(at: output) }
    let process = Process()
    process.executableURL = gzip
    process.arguments = ["-n", input.path]  // replaces the input by input.gz
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    return [UInt8](try Data(contentsOf: output))
}

/// Collects log lines from code under test (which may call it from any thread).
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []

    func record(_ line: String) {
        lock.lock()
        recorded.append(line)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

/// The package's root directory (this file is in Tests/PerceptronDataTests/).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The real MNIST files, where `perceptron fetch` puts them; tests using them are skipped when absent.
let realMNISTDirectory = packageRoot.appendingPathComponent("data/mnist")
let realMNISTIsPresent = MNISTFile.allCases.allSatisfy {
    FileManager.default.fileExists(atPath: realMNISTDirectory.appendingPathComponent($0.name).path)
}

/// Fashion-MNIST from the Debian package dataset-fashion-mnist; tests using it are skipped when absent.
let fashionDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
let fashionIsPresent = FileManager.default.fileExists(atPath: fashionDirectory.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path)
