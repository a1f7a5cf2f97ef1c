import CTurboJPEG
import Foundation

/// Reads JPEG files (ITU-T T.81 with JFIF or EXIF, what every phone and camera writes) as
/// `GreyImage`s, through libjpeg-turbo's TurboJPEG API.
///
/// - **Grey.** libjpeg-turbo decodes straight to one grey byte per pixel: the luma channel Y of a
///   colour (YCbCr) JPEG, which is 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as for PNG), or the
///   one channel of a greyscale JPEG; a sample s becomes s / 255. CMYK and YCCK JPEGs (made for
///   printing) are refused.
/// - **Reduced scale.** A photo holds far more pixels than a digit needs: a 12-megapixel
///   4000 × 3000 JPEG decoded whole is 12 MB of grey bytes and, as `Double`s, 96 MB. Given a
///   `side`, the decoder uses the smallest of libjpeg-turbo's power-of-two scaling factors 1/8,
///   1/4, 1/2 and 1 whose result is still at least `side` pixels along its longer side (or 1 when
///   the image is smaller): the scaling happens inside the inverse DCT, so a smaller result is
///   also a faster one. Each side becomes ⌈side · factor⌉. Without a `side` the image is decoded
///   whole, except that a result longer than `GreyImage.maximumSide` is scaled down until it fits.
/// - **Upright.** The EXIF orientation (see `EXIFOrientation`) is applied, so a phone's portrait
///   photo, stored sideways with orientation 6, comes out upright.
/// - **Strict.** libjpeg-turbo's warnings (data ending early, corrupt entropy data) are errors, so
///   a truncated file is refused rather than read with a grey lower half; progressive JPEGs are
///   limited to 500 scans. An image of more than `maximumPixels` is refused before decoding (a
///   progressive JPEG is held whole while it is decoded, 2 bytes per sample).
public enum JPEGDecoder {
    /// The first three bytes of every JPEG file: the start-of-image marker `FF D8` and the `FF` of
    /// the next marker.
    public static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// The most pixels accepted in a JPEG, width × height before scaling: 50 million (an 8160 × 6120
    /// photo of a 50-megapixel phone camera).
    public static let maximumPixels = 50_000_000

    /// The scaling factors used, largest first, as the denominators of 1/1, 1/2, 1/4 and 1/8.
    public static let scaleDenominators = [1, 2, 4, 8]

    /// Reads the JPEG file at `url`, at reduced scale if `side` is given (see the type's description).
    public static func read(url: URL, scaledDownTo side: Int? = nil) throws -> GreyImage {
        try decode(FileBytes.read(url), path: url.path, scaledDownTo: side)
    }

    /// The size and colour space a JPEG's header declares.
    public struct Header: Sendable, Equatable {
        /// The width in pixels, as stored (before any EXIF orientation).
        public var width: Int
        /// The height in pixels, as stored.
        public var height: Int
        /// Whether it is CMYK or YCCK.
        public var cmyk: Bool
    }

    /// Decodes the bytes of a JPEG file into an upright grey image, at reduced scale if `side` is
    /// given. `path` names the file in error messages.
    public static func decode(_ bytes: [UInt8], path: String, scaledDownTo side: Int? = nil) throws -> GreyImage {
        guard bytes.starts(with: signature) else {
            throw JPEGError.notJPEG(path: path, found: Array(bytes.prefix(12)))
        }
        guard let handle = tjInitDecompress() else {
            throw JPEGError.unavailable(path: path, reason: String(cString: tjGetErrorStr2(nil)))
        }
        defer { tjDestroy(handle) }
        let header = try readHeader(bytes, handle: handle, path: path)
        guard header.width * header.height <= maximumPixels else {
            throw JPEGError.tooLarge(path: path, width: header.width, height: header.height, limit: maximumPixels)
        }
        guard !header.cmyk else { throw JPEGError.cmyk(path: path) }

        let denominator = scaleDenominator(width: header.width, height: header.height, side: side)
        let width = scaled(header.width, by: denominator)
        let height = scaled(header.height, by: denominator)
        var grey = [UInt8](repeating: 0, count: width * height)
        let flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let result = grey.withUnsafeMutableBufferPointer { output in
            bytes.withUnsafeBufferPointer { input in
                tjDecompress2(handle, input.baseAddress, UInt(input.count), output.baseAddress,
                              Int32(width), 0, Int32(height), Int32(TJPF_GRAY.rawValue), flags)
            }
        }
        guard result == 0 else {
            throw JPEGError.badImageData(path: path, reason: String(cString: tjGetErrorStr2(handle)))
        }
        let upright = EXIFOrientation.find(in: bytes).upright(grey, width: width, height: height)
        return GreyImage(width: upright.width, height: upright.height, bytes: upright.pixels)
    }

    /// The header of a JPEG file (size and colour space), without decoding the image.
    public static func header(of bytes: [UInt8], path: String) throws -> Header {
        guard bytes.starts(with: signature) else {
            throw JPEGError.notJPEG(path: path, found: Array(bytes.prefix(12)))
        }
        guard let handle = tjInitDecompress() else {
            throw JPEGError.unavailable(path: path, reason: String(cString: tjGetErrorStr2(nil)))
        }
        defer { tjDestroy(handle) }
        return try readHeader(bytes, handle: handle, path: path)
    }

    private static func readHeader(_ bytes: [UInt8], handle: tjhandle, path: String) throws -> Header {
        var (width, height, subsampling, colourSpace): (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        let status = bytes.withUnsafeBufferPointer { input in
            tjDecompressHeader3(handle, input.baseAddress, UInt(input.count), &width, &height, &subsampling, &colourSpace)
        }
        guard status == 0 else {
            throw JPEGError.badHeader(path: path, reason: String(cString: tjGetErrorStr2(handle)))
        }
        guard width > 0, height > 0 else {
            throw JPEGError.badHeader(path: path, reason: "the frame is \(width)×\(height) pixels")
        }
        let cmyk = colourSpace == Int32(TJCS_CMYK.rawValue) || colourSpace == Int32(TJCS_YCCK.rawValue)
        return Header(width: Int(width), height: Int(height), cmyk: cmyk)
    }

    /// The denominator d of the scaling factor 1/d for a `width × height` image: the largest of
    /// `scaleDenominators` that keeps the longer side at least `side` (1 if none does), and at
    /// least large enough that both sides fit in `GreyImage.maximumSide`.
    public static func scaleDenominator(width: Int, height: Int, side: Int?) -> Int {
        let longer = max(width, height)
        let fitting = scaleDenominators.first { scaled(longer, by: $0) <= GreyImage.maximumSide } ?? scaleDenominators.last!
        guard let side else { return fitting }
        let reduced = scaleDenominators.last { scaled(longer, by: $0) >= side } ?? 1
        return max(reduced, fitting)
    }

    /// ⌈size / denominator⌉, as libjpeg-turbo scales a side (its `TJSCALED`).
    public static func scaled(_ size: Int, by denominator: Int) -> Int {
        (size + denominator - 1) / denominator
    }
}
