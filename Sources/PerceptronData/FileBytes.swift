import Foundation

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

    /// Writes `bytes` to `url` atomically: readers see either the old file or the complete new
    /// one, never a partial file, even if the program is interrupted.
    ///
    /// The bytes go to a temporary file in the same directory (so that it is on the same file
    /// system), which is then renamed over `url`; `rename` replaces the name in one step.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FileError.unwritable(path: url.path, reason: reasonText(error))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw FileError.unwritable(path: url.path, reason: reason)
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
