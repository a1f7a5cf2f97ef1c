/// Why a file is not a JPEG image that `JPEGDecoder` can read.
///
/// Every case carries the file's path; `description` is one line saying what is wrong, what was
/// expected, what was found, and what to do.
public enum JPEGError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with a JPEG's start-of-image marker `FF D8 FF`.
    case notJPEG(path: String, found: [UInt8])
    /// libjpeg-turbo could not read the header (the frame size and colour space); `reason` is its message.
    case badHeader(path: String, reason: String)
    /// libjpeg-turbo stopped while decoding the image data; `reason` is its message.
    case badImageData(path: String, reason: String)
    /// More pixels than `JPEGDecoder.maximumPixels`.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// A CMYK or YCCK JPEG (made for printing), which has no grey to read.
    case cmyk(path: String)
    /// libjpeg-turbo could not start (out of memory).
    case unavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notJPEG(let path, let found):
            return "\(path): not a JPEG file: expected the bytes ff d8 ff at the start, found \(PNGError.hex(found))\(PNGError.guess(found)); save or export the image as JPEG or PNG"
        case .badHeader(let path, let reason):
            return "\(path): the JPEG header cannot be read (libjpeg-turbo: \(Self.sentence(reason))); the file is damaged or incomplete, save or export the image again"
        case .badImageData(let path, let reason):
            return "\(path): the JPEG image data cannot be decoded (libjpeg-turbo: \(Self.sentence(reason))); the file is damaged or incomplete, save or export the image again"
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path): the JPEG is \(width)×\(height) pixels, more than the \(limit / 1_000_000) million accepted; scale it down (a digit needs only a few hundred pixels a side)"
        case .cmyk(let path):
            return "\(path): a CMYK JPEG (made for printing): expected a colour (YCbCr or RGB) or greyscale JPEG; save or export it as an RGB JPEG or a PNG"
        case .unavailable(let path, let reason):
            return "\(path): libjpeg-turbo could not start decoding (\(Self.sentence(reason))); check the libjpeg-turbo installation (Debian: libturbojpeg0)"
        }
    }

    /// libjpeg's message without a trailing full stop or newline.
    private static func sentence(_ reason: String) -> String {
        var text = Substring(reason)
        while let last = text.last, last == "." || last == "\n" || last == " " { text = text.dropLast() }
        return text.isEmpty ? "no reason given" : String(text)
    }
}
