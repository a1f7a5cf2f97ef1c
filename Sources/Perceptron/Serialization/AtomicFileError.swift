#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file that ``AtomicFile`` could not write: which file, the step that failed, the system's reason,
/// and what to do about it.
///
/// ```
/// cannot write runs/x/model.safetensors: could not write its bytes (No space left on device):
/// the disk is full — 3.2 MB were to be written and 1.1 MB are free there; free some space or write elsewhere
/// ```
public struct AtomicFileError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// The file that was to be written.
    public let path: String
    /// What failed, in words: `create .model.safetensors.41.tmp`, `rename … to it`, `flush it to the disk`.
    public let step: String
    /// The system's reason (`strerror` of `errno`): `No such file or directory`, `No space left on device`.
    public let reason: String
    /// `errno` as the failed call left it.
    public let code: Int32
    /// The bytes that were to be written.
    public let size: Int?
    /// The bytes free to this process on the file system of the file's folder, when the disk was full.
    public let free: Int?

    /// The error of `step` in writing `size` bytes to `path`, for the error number `code` (`errno`, read first).
    init(_ code: Int32, path: String, step: String, size: Int? = nil) {
        self.path = path
        self.step = step
        self.code = code
        self.size = size
        reason = String(cString: strerror(code))
        free = code == ENOSPC || code == EDQUOT ? Self.freeBytes(near: path) : nil
    }

    /// What to do, by cause: a full disk (with the sizes), no permission, a read-only file system,
    /// a missing folder.
    public var advice: String? {
        switch code {
        case ENOSPC, EDQUOT:
            let sizes = [size.map { "\(Self.megabytes($0)) were to be written" }, free.map { "\(Self.megabytes($0)) are free there" }]
                .compactMap { $0 }.joined(separator: " and ")
            return "the disk is full" + (sizes.isEmpty ? "" : " — \(sizes)") + "; free some space or write elsewhere"
        case EACCES, EPERM: return "this user may not write there; make the folder writable or write elsewhere"
        case EROFS: return "the file system is read-only; write elsewhere"
        case ENOENT, ENOTDIR: return "the folder \((path as NSString).deletingLastPathComponent) does not exist"
        default: return nil
        }
    }

    /// `cannot write PATH: could not STEP (REASON): ADVICE`.
    public var description: String {
        "cannot write \(path): could not \(step) (\(reason))" + (advice.map { ": \($0)" } ?? "")
    }

    /// The ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// `statvfs`'s bytes available to this process in the folder of `path`.
    private static func freeBytes(near path: String) -> Int? {
        var stats = statvfs()
        guard statvfs((path as NSString).deletingLastPathComponent, &stats) == 0 else { return nil }
        return Int(stats.f_bavail) * Int(stats.f_frsize)
    }

    /// `1.1 MB`, `640 KB`, `12 bytes`.
    private static func megabytes(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1e6) }
        if bytes >= 1_000 { return "\(bytes / 1000) KB" }
        return "\(bytes) bytes"
    }
}
