/// Why a file is not a PGM image that `PGMReader` can read (see `PGMReader` for the format).
///
/// Every case carries the file's path; `description` is one line saying what is wrong, what was
/// expected, what was found, and what to do.
public enum PGMError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with "P2" or "P5".
    case notPGM(path: String, found: [UInt8])
    /// A header field (`field`: "width", "height" or "maximum value") is missing or not a decimal number.
    case badHeaderField(path: String, field: String, found: String)
    /// A width or height of zero.
    case emptyImage(path: String, width: Int, height: Int)
    /// Width or height above `limit` (`GreyImage.maximumSide`).
    case tooLarge(path: String, width: String, height: String, limit: Int)
    /// A maximum value outside 1 ... 65535.
    case badMaxval(path: String, found: String)
    /// A binary (P5) file with fewer data bytes than the header needs.
    case truncatedBinary(path: String, expectedBytes: Int, foundBytes: Int)
    /// A plain (P2) file with fewer values than the header needs.
    case truncatedText(path: String, expectedValues: Int, foundValues: Int)
    /// A sample larger than the maximum value.
    case sampleAboveMaxval(path: String, x: Int, y: Int, found: String, maxval: Int)
    /// A plain (P2) sample that is not a decimal number.
    case badSample(path: String, x: Int, y: Int, found: String)

    public var description: String {
        let damaged = "the file is damaged or incomplete; save or export the image again"
        switch self {
        case .notPGM(let path, let found):
            return "\(path): not a PGM file: expected \"P2\" or \"P5\" at the start, found \(Self.quoted(found))\(Self.guess(found)); save or export the image as PGM or PNG"
        case .badHeaderField(let path, let field, let found):
            return "\(path): expected the \(field) as a decimal number in the PGM header, found \(found); \(damaged)"
        case .emptyImage(let path, let width, let height):
            return "\(path): the header describes a \(width)×\(height) image, which holds no pixels: expected at least 1×1; \(damaged)"
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path): the image is \(width)×\(height) pixels, larger than the \(limit)×\(limit) accepted; scale it down (a digit needs only a few hundred pixels a side)"
        case .badMaxval(let path, let found):
            return "\(path): the maximum value is \(found): expected 1 ... 65535; \(damaged)"
        case .truncatedBinary(let path, let expectedBytes, let foundBytes):
            return "\(path): truncated: the header needs \(expectedBytes) bytes of pixels but the file has \(foundBytes); \(damaged)"
        case .truncatedText(let path, let expectedValues, let foundValues):
            return "\(path): truncated: the header needs \(expectedValues) pixel values but the file has \(foundValues); \(damaged)"
        case .sampleAboveMaxval(let path, let x, let y, let found, let maxval):
            return "\(path): the pixel at column \(x), row \(y) is \(found), above the maximum value \(maxval) given in the header; \(damaged)"
        case .badSample(let path, let x, let y, let found):
            return "\(path): expected a decimal number for the pixel at column \(x), row \(y), found \(found); \(damaged)"
        }
    }

    /// Bytes shown as text in quotes, with non-printing bytes as \x escapes, or "nothing".
    static func quoted(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "nothing" }
        let text = bytes.map { byte -> String in
            (0x20...0x7E).contains(byte) && byte != 0x22 && byte != 0x5C
                ? String(UnicodeScalar(byte)) : "\\x" + PNGError.hex([byte])
        }
        return "\"" + text.joined() + "\""
    }

    /// What a file with this start really is, for common mistakes.
    static func guess(_ start: [UInt8]) -> String {
        ImageFormat.guess(start).map { " (\($0))" } ?? ""
    }
}
