/// How a stored picture must be turned to be seen upright: the Orientation tag (0x0112) of the
/// EXIF data a camera writes into a JPEG. A phone held upright stores its sensor's landscape
/// picture as it is and sets this tag to 6 ("turn 90° clockwise to show it") instead of rotating
/// the pixels.
///
/// The raw values (EXIF 2.3, TIFF 6.0), and what each means for the stored image:
///
///     value  stored row 0 is the visual …  stored column 0 is the visual …  to show it upright
///     1      top                           left                             nothing
///     2      top                           right                            mirror left–right
///     3      bottom                        right                            turn 180°
///     4      bottom                        left                             mirror top–bottom
///     5      left                          top                              transpose (mirror along the main diagonal)
///     6      right                         top                              turn 90° clockwise
///     7      right                         bottom                           transverse (mirror along the other diagonal)
///     8      left                          bottom                           turn 90° counter-clockwise
///
/// ## Where the tag is
///
/// A JPEG file is the marker `FF D8` (start of image) followed by segments, each `FF`, a marker
/// byte, and — for all but the stand-alone markers `D0`…`D8` and `01` — a 2-byte big-endian length
/// that counts itself and the data after it. EXIF data is an APP1 segment (marker `E1`) whose data
/// starts with `"Exif" 00 00` and continues as a TIFF file:
///
///     offset  size  field
///     0       2     byte order: "II" little-endian, "MM" big-endian (for every field below)
///     2       2     42
///     4       4     offset of the first directory (IFD0), from the start of the TIFF data
///
/// A directory is a 2-byte entry count and 12-byte entries: tag (2), type (2), count (4), value
/// (4, or the offset of a longer value). Orientation is tag 0x0112, type 3 (SHORT), count 1, its
/// value in the first two bytes of the value field.
///
/// `find(in:)` reads the segments up to the start of the image data (`FF DA`), takes the first
/// EXIF segment, and every read is checked against the segment's end: damaged or absent EXIF data
/// means `.identity`, never an error, since the picture itself may be fine.
///
/// Each case is named for what showing the picture upright takes; `description` says it in words.
public enum EXIFOrientation: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Stored upright (1).
    case identity = 1
    /// Stored mirrored left to right (2).
    case flipHorizontal = 2
    /// Stored upside down (3).
    case rotate180 = 3
    /// Stored mirrored top to bottom (4).
    case flipVertical = 4
    /// Stored mirrored along the main diagonal (5).
    case transpose = 5
    /// Stored turned 90° counter-clockwise: turn it 90° clockwise (6, a phone held upright).
    case rotate90Clockwise = 6
    /// Stored mirrored along the other diagonal (7).
    case transverse = 7
    /// Stored turned 90° clockwise: turn it 90° counter-clockwise (8).
    case rotate90CounterClockwise = 8

    /// The orientation in the EXIF data of a JPEG file, `.identity` if there is none or it is damaged.
    public static func find(in jpeg: [UInt8]) -> EXIFOrientation {
        guard jpeg.count >= 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { return .identity }
        var offset = 2
        while offset + 4 <= jpeg.count {
            guard jpeg[offset] == 0xFF else { return .identity }
            let marker = jpeg[offset + 1]
            if marker == 0xFF {  // a fill byte before the marker
                offset += 1
                continue
            }
            if (0xD0...0xD8).contains(marker) || marker == 0x01 {  // stand-alone markers
                offset += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return .identity }  // the image data, or its end
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            let end = offset + 2 + length
            guard length >= 2, end <= jpeg.count else { return .identity }
            let data = jpeg[(offset + 4)..<end]
            if marker == 0xE1, data.starts(with: exifHeader) {
                return orientation(tiff: data.dropFirst(exifHeader.count)) ?? .identity
            }
            offset = end
        }
        return .identity
    }

    /// The start of an EXIF APP1 segment's data: "Exif" and two zero bytes.
    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// The Orientation entry of IFD0 in TIFF data, nil if absent, damaged or out of range.
    static func orientation(tiff: ArraySlice<UInt8>) -> EXIFOrientation? {
        let bytes = Array(tiff)
        guard bytes.count >= 8 else { return nil }
        let little: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): little = true   // "II"
        case (0x4D, 0x4D): little = false  // "MM"
        default: return nil
        }
        func uint16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func uint32(_ at: Int) -> Int? {
            guard let first = uint16(at), let second = uint16(at + 2) else { return nil }
            return little ? first | second << 16 : first << 16 | second
        }
        guard uint16(2) == 42, let directory = uint32(4), let count = uint16(directory) else { return nil }
        for entry in 0..<count {
            let start = directory + 2 + 12 * entry
            guard let tag = uint16(start), let type = uint16(start + 2), let values = uint32(start + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            guard type == 3, values >= 1, let value = uint16(start + 8) else { return nil }
            return EXIFOrientation(rawValue: value)
        }
        return nil
    }

    /// Whether showing the picture upright swaps its width and height (values 5 to 8).
    public var swapsSides: Bool {
        rawValue >= 5
    }

    /// `pixels` (row-major, `width × height`, as stored) turned upright; the result is
    /// `height × width` when `swapsSides`. Pixel (x, y) of the result is stored pixel:
    ///
    ///     1 (x, y)           2 (W−1−x, y)          3 (W−1−x, H−1−y)    4 (x, H−1−y)
    ///     5 (y, x)           6 (y, H−1−x)          7 (W−1−y, H−1−x)    8 (W−1−y, x)
    ///
    /// with W × H the stored size.
    public func upright<Pixel>(_ pixels: [Pixel], width: Int, height: Int) -> (pixels: [Pixel], width: Int, height: Int) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height, "\(pixels.count) pixels are not \(width)×\(height)")
        guard self != .identity else { return (pixels, width, height) }
        let (outWidth, outHeight) = swapsSides ? (height, width) : (width, height)
        let (w, h) = (width, height)
        let source: (Int, Int) -> Int
        switch self {
        case .identity: source = { x, y in y * w + x }
        case .flipHorizontal: source = { x, y in y * w + (w - 1 - x) }
        case .rotate180: source = { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case .flipVertical: source = { x, y in (h - 1 - y) * w + x }
        case .transpose: source = { x, y in x * w + y }
        case .rotate90Clockwise: source = { x, y in (h - 1 - x) * w + y }
        case .transverse: source = { x, y in (h - 1 - x) * w + (w - 1 - y) }
        case .rotate90CounterClockwise: source = { x, y in x * w + (w - 1 - y) }
        }
        var result: [Pixel] = []
        result.reserveCapacity(pixels.count)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                result.append(pixels[source(x, y)])
            }
        }
        return (result, outWidth, outHeight)
    }

    public var description: String {
        switch self {
        case .identity: "upright as stored"
        case .flipHorizontal: "mirrored left to right"
        case .rotate180: "turned 180°"
        case .flipVertical: "mirrored top to bottom"
        case .transpose: "transposed"
        case .rotate90Clockwise: "turned 90° clockwise"
        case .transverse: "transversed"
        case .rotate90CounterClockwise: "turned 90° counter-clockwise"
        }
    }
}
