/// Why `Gzip.decompress` could not decompress its input.
///
/// The data has no file name at this level; `FileError.badGzip` adds the path when the data came
/// from a file.
public enum GzipError: Error, CustomStringConvertible, Equatable {
    /// zlib could not start (out of memory, or a zlib library that does not match its header).
    case zlibUnavailable(code: Int32)
    /// The data breaks the deflate or gzip format, or a checksum in it does not match.
    /// `offset` is how many input bytes zlib had consumed when it gave up.
    case corrupt(offset: Int, reason: String)
    /// The data ends in the middle of a compressed stream.
    case truncated(inputBytes: Int)
    /// Decompressing would produce more than `limit` bytes.
    case outputTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .zlibUnavailable(let code):
            "zlib could not start inflating (error \(code)); check the zlib installation (Debian: zlib1g)"
        case .corrupt(let offset, let reason):
            "corrupt gzip data near byte \(offset): \(reason); the file is damaged, download it again"
        case .truncated(let inputBytes):
            "gzip data ends early, after \(inputBytes) bytes, in the middle of the compressed stream; the file is incomplete, download it again"
        case .outputTooLarge(let limit):
            "gzip data decompresses to more than \(limit) bytes, the most accepted; the file is damaged or is not a dataset file"
        }
    }
}
