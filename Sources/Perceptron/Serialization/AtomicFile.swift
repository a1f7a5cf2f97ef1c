import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a file so that it is never seen half-written, not even after a crash or a power cut.
///
/// ```
/// write   .NAME.PID.tmp in NAME's folder   every byte, to the same file system as NAME
/// fsync   .NAME.PID.tmp                    its bytes are on the disk
/// rename  .NAME.PID.tmp → NAME             one step: NAME is the old file or the new one, whole
/// fsync   the folder                       the new name is on the disk too
/// ```
/// A failed write removes the temporary file; a killed one can leave it (`.NAME.PID.tmp`).
public enum AtomicFile {
    /// Writes `bytes` to `url` as above, replacing any file there.
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let file = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw AtomicFileError(errno, path: url.path, step: "create \(temporary.lastPathComponent)") }
        do {
            try writeAll(bytes, to: file, path: url.path)
            guard fsync(file) == 0 else { throw AtomicFileError(errno, path: url.path, step: "flush it to the disk", size: bytes.count) }
        } catch {
            close(file)
            unlink(temporary.path)
            throw error
        }
        guard close(file) == 0 else {
            let problem = AtomicFileError(errno, path: url.path, step: "close \(temporary.lastPathComponent)")
            unlink(temporary.path)
            throw problem
        }
        guard rename(temporary.path, url.path) == 0 else {
            let problem = AtomicFileError(errno, path: url.path, step: "rename \(temporary.lastPathComponent) to it")
            unlink(temporary.path)
            throw problem
        }
        try synchronize(folder: folder, of: url)
    }

    /// `write` for a string, as UTF-8.
    public static func write(_ text: String, to url: URL) throws {
        try write(Array(text.utf8), to: url)
    }

    /// Every byte of `bytes` to the open file `file` (`write` may take fewer at a time, or be interrupted).
    private static func writeAll(_ bytes: [UInt8], to file: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(file, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw AtomicFileError(errno, path: path, step: "write its bytes", size: buffer.count) }
                offset += written
            }
        }
    }

    /// `fsync` of `folder`, so that the rename survives a crash. A file system that cannot flush a
    /// folder (EINVAL) has nothing to flush.
    private static func synchronize(folder: URL, of url: URL) throws {
        let directory = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw AtomicFileError(errno, path: url.path, step: "open its folder to flush it") }
        defer { close(directory) }
        guard fsync(directory) == 0 || errno == EINVAL else {
            throw AtomicFileError(errno, path: url.path, step: "flush its folder to the disk")
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
