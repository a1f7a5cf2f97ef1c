import Foundation
import Perceptron

/// The folder a run writes into.
public enum RunFolder {
    /// `out`, or a new `runs/YYYYMMDD-HHMMSS` folder; created, and checked writable before any training.
    public static func prepare(_ out: String?) throws -> URL {
        let url: URL
        if let out {
            url = URL(fileURLWithPath: out)
        } else {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            var candidate = URL(fileURLWithPath: "runs").appendingPathComponent(formatter.string(from: Date()))
            var suffix = 2
            while FileManager.default.fileExists(atPath: candidate.path) {
                candidate = URL(fileURLWithPath: "runs").appendingPathComponent(formatter.string(from: Date()) + "-\(suffix)")
                suffix += 1
            }
            url = candidate
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let probe = url.appendingPathComponent(".write-test")
            try AtomicFile.write([], to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw RunError("cannot write the output folder \(url.path): \(error.localizedDescription); choose another with --out")
        }
        return url
    }
}

/// A failure of a command, told in one line.
public struct RunError: Error, CustomStringConvertible {
    /// What went wrong and what to do, in one line.
    public let description: String
    /// A failure told as `description`.
    public init(_ description: String) { self.description = description }
}
