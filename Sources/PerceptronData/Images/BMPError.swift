/// Why a file is not a BMP image that `BMPDecoder` can read (see `BMPDecoder` for the format).
///
/// Every case carries the file's path; `description` is one line saying what is wrong, what was
/// expected, what was found, and what to do.
public enum BMPError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with "BM".
    case notBMP(path: String, found: [UInt8])
    /// The file ends before `expected` is complete; `found` is its length in bytes.
    case truncated(path: String, expected: String, found: Int)
    /// A header field that cannot be right, said in `reason`.
    case badHeader(path: String, reason: String)
    /// A valid BMP of a kind not read here (`what`: compression, bit depth, header size).
    case unsupported(path: String, what: String)
    /// Width or height above `limit` (`GreyImage.maximumSide`).
    case tooLarge(path: String, width: Int, height: Int, limit: Int)

    public var description: String {
        let damaged = "the file is damaged or incomplete; save or export the image again"
        switch self {
        case .notBMP(let path, let found):
            return "\(path): not a BMP file: expected \"BM\" at the start, found \(PNGError.hex(found))\(PNGError.guess(found)); save or export the image as PNG or JPEG"
        case .truncated(let path, let expected, let found):
            return "\(path): truncated: expected \(expected), but the file ends after \(found) bytes; \(damaged)"
        case .badHeader(let path, let reason):
            return "\(path): a damaged BMP header: \(reason); \(damaged)"
        case .unsupported(let path, let what):
            return "\(path): this BMP has \(what), which is not read here; save or export the image as PNG or JPEG"
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path): the image is \(width)×\(height) pixels, larger than the \(limit)×\(limit) accepted; scale it down (a digit needs only a few hundred pixels a side)"
        }
    }
}
