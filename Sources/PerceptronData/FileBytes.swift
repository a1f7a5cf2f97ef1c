import Foundation
import Perceptron

/// Reading and writing whole files as bytes.
///
/// Dataset files are read in one piece (the largest, MNIST's training images, is 47 MB), which
/// is far faster than reading them line by line or value by value.
enum FileBytes {
    /// The contents of the file at `url`.
    static func read(_ url: URL) throws -> [UInt8] {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw FileError.missing(path: path)
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw FileError.unreadable(path: path, reason: reasonText(error))
        }
    }

    /// The contents of the file at `url`, decompressed if the file is gzip data.
    ///
    /// Whether to decompress is decided by the first two bytes (the gzip magic `1f 8b`), not by
    /// the name, so a compressed file without `.gz` (or a plain one with it) is still read right.
    /// No IDX or CSV file starts with those bytes.
    static func readDecompressing(_ url: URL) throws -> [UInt8] {
        let bytes = try read(url)
        guard Gzip.isCompressed(bytes) else { return bytes }
        do {
            return try Gzip.decompress(bytes)
        } catch let problem as GzipError {
            throw FileError.badGzip(path: url.path, problem: problem)
        }
    }

    /// Writes `bytes` to `url` with ``AtomicFile``: readers see either the old file or the complete
    /// new one, never a partial file, even if the program or the machine stops halfway.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        do {
            try AtomicFile.write(bytes, to: url)
        } catch let error as AtomicFileError {
            throw FileError.unwritable(path: url.path, reason: "could not \(error.step): \(error.reason)")
        }
    }

    /// A short, one-line reason from a Foundation or POSIX error.
    static func reasonText(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(nsError.code)))
        }
        return nsError.localizedDescription.replacingOccurrences(of: "\n", with: " ")
    }
}
