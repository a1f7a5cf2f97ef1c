/// The image file formats `ImageFile` reads, recognised by their first bytes (never by name).
public enum ImageFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// PNG: the signature `89 50 4E 47 0D 0A 1A 0A` (see `PNGDecoder`).
    case png
    /// PGM: "P2" (plain) or "P5" (binary) (see `PGMReader`).
    case pgm
    /// IDX image file, as MNIST's `*-images-idx3-ubyte`: the magic number 00 00 08 03 (see `IDXReader`).
    case idx
    /// JPEG: the start-of-image marker and the next marker's first byte, `FF D8 FF` (see `JPEGDecoder`).
    case jpeg
    /// BMP (Windows bitmap): "BM" (see `BMPDecoder`).
    case bmp

    /// The format of a file starting with `bytes`, or nil if it is none of them.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.starts(with: PNGDecoder.signature) { return .png }
        if bytes.starts(with: Array("P2".utf8)) || bytes.starts(with: Array("P5".utf8)) { return .pgm }
        if bytes.starts(with: [0x00, 0x00, 0x08, 0x03]) { return .idx }
        if bytes.starts(with: JPEGDecoder.signature) { return .jpeg }
        if bytes.starts(with: BMPDecoder.signature) { return .bmp }
        return nil
    }

    public var description: String {
        switch self {
        case .png: "PNG"
        case .pgm: "PGM"
        case .idx: "IDX images (idx3-ubyte)"
        case .jpeg: "JPEG"
        case .bmp: "BMP"
        }
    }

    /// What a file starting with `bytes` probably is, for error messages ("a WebP file"), or nil
    /// if unrecognised. WebP needs the first 12 bytes ("RIFF", the size, "WEBP"), the others fewer.
    static func guess(_ bytes: [UInt8]) -> String? {
        func starts(_ text: String) -> Bool { bytes.starts(with: Array(text.utf8)) }
        switch detect(bytes) {
        case .png: return "a PNG file"
        case .pgm: return "a PGM file"
        case .idx: return "an IDX image file"
        case .jpeg: return "a JPEG file"
        case .bmp: return "a BMP file"
        case nil: break
        }
        if starts("GIF8") { return "a GIF file" }
        if starts("RIFF") && bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8) { return "a WebP file" }
        if bytes.count >= 8 && Array(bytes[4..<8]) == Array("ftyp".utf8) { return "a HEIF/AVIF photo or a video" }
        if starts("II*\u{0}") || starts("MM\u{0}*") { return "a TIFF file" }
        if starts("P1") || starts("P4") { return "a PBM (black-and-white) file" }
        if starts("P3") || starts("P6") { return "a PPM (colour) file" }
        if starts("P7") { return "a PAM file" }
        if starts("%PDF") { return "a PDF document" }
        if starts("<svg") || starts("<?xml") { return "an SVG or XML file" }
        if bytes.starts(with: Gzip.magic) { return "gzip data" }
        if bytes.starts(with: [0x00, 0x00, 0x08, 0x01]) { return "an IDX label file" }
        if bytes.starts(with: [0x00, 0x00, 0x08]) || bytes.starts(with: [0x00, 0x00, 0x09]) || bytes.starts(with: [0x00, 0x00, 0x0B]) ||
            bytes.starts(with: [0x00, 0x00, 0x0C]) || bytes.starts(with: [0x00, 0x00, 0x0D]) || bytes.starts(with: [0x00, 0x00, 0x0E]) {
            return "an IDX file that does not hold byte images of two dimensions"
        }
        return nil
    }
}
