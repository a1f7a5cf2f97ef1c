#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file that ``AtomicFile`` could not write: which file, the step that failed, and the system's reason.
public struct AtomicFileError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// The file that was to be written.
    public let path: String
    /// What failed, in words: `create .model.safetensors.41.tmp`, `rename … to it`, `flush it to the disk`.
    public let step: String
    /// The system's reason (`strerror` of `errno`): `No such file or directory`, `No space left on device`.
    public let reason: String

    /// The error of `step` in writing `path`, for the error number `code` (`errno`, read first).
    init(_ code: Int32, path: String, step: String) {
        self.path = path
        self.step = step
        reason = String(cString: strerror(code))
    }

    /// `cannot write PATH: could not STEP (REASON)`.
    public var description: String { "cannot write \(path): could not \(step) (\(reason))" }

    /// The ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
