/// A file could not be read or written, or a gzip file inside the dataset could not be decompressed.
public enum FileError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist.
    case missing(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file could not be written (or renamed into place).
    case unwritable(path: String, reason: String)
    /// The file starts with the gzip magic bytes but does not decompress.
    case badGzip(path: String, problem: GzipError)

    public var description: String {
        switch self {
        case .missing(let path):
            "\(path): no such file"
        case .unreadable(let path, let reason):
            "\(path): cannot be read (\(reason)); check that it is a readable file"
        case .unwritable(let path, let reason):
            "\(path): cannot be written (\(reason)); check that the directory exists, is writable and the disk is not full"
        case .badGzip(let path, let problem):
            "\(path): \(problem)"
        }
    }
}
