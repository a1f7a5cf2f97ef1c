import Foundation
import Perceptron

/// Reads PNG files (W3C Portable Network Graphics, 2nd edition = ISO/IEC 15948) as `GreyImage`s.
///
/// ## Chunks
///
/// A PNG file is the 8-byte signature `89 50 4E 47 0D 0A 1A 0A` followed by chunks, each:
///
///     offset  size  field
///     0       4     length n of the data, big-endian, at most 2³¹ − 1
///     4       4     type, four ASCII letters; a lower-case first letter marks an ancillary chunk
///     8       n     data
///     8 + n   4     CRC-32 (see `CRC32`) of the type and data, big-endian
///
/// The decoder checks every chunk's CRC and uses: IHDR (first; see `PNGHeader`), PLTE (the
/// palette, n / 3 RGB entries of 3 bytes), tRNS (transparency), IDAT (the image data; the data of
/// all IDAT chunks concatenated is one zlib stream) and IEND (the end; anything after it is
/// ignored). Other ancillary chunks are skipped; an unknown critical chunk is an error.
///
/// ## Image data
///
/// Decompressed, the image data is `height` scanlines, each one filter-type byte followed by
/// `ceil(width × bits per pixel / 8)` bytes. Samples of 16 bits are big-endian; samples of 1, 2
/// or 4 bits are packed from the most significant bit, each row starting on a new byte.
/// Every byte x of a scanline is stored as x − predictor (mod 256), where, with a the
/// corresponding byte of the pixel to the left (`PNGHeader.filterStride` bytes back), b the byte
/// above, and c the byte above a (each 0 outside the image):
///
///     type  name     predictor
///     0     None     0
///     1     Sub      a
///     2     Up       b
///     3     Average  floor((a + b) / 2)
///     4     Paeth    of a, b and c, the one nearest to p = a + b − c (ties to a, then b)
///
/// An interlaced (Adam7) file stores the image as seven smaller images, the passes, one after the
/// other in the same stream, each with scanlines and filters of its own (the row above the first
/// row of a pass is all zeros). Pass p holds the pixels (x₀ + i·dx, y₀ + j·dy):
///
///     pass   1  2  3  4  5  6  7
///     x₀     0  4  0  2  0  1  0
///     y₀     0  0  4  0  2  0  1
///     dx     8  8  4  4  2  2  1
///     dy     8  8  8  4  4  2  2
///
/// so it is ⌈(width − x₀) / dx⌉ × ⌈(height − y₀) / dy⌉ pixels; a pass with no pixels has no
/// scanlines at all. The passes are decoded in turn and interleaved into the image at the end.
///
/// Images wider or higher than `GreyImage.maximumSide` are rejected. The scanlines are
/// decompressed one at a time and the pixels grow row by row, so a small file claiming a large
/// image fails before much is allocated. Asked for at most `side` pixels a side (`scaledDownTo`),
/// a larger image that is not interlaced is shrunk by a whole factor as its rows arrive
/// (`DigitPreprocessing.reduced(_:toAtMost:)`, the same means), so that a small file that
/// inflates to 8192 × 8192 pixels costs a few megabytes, not half a gigabyte. An image decoded
/// whole — interlaced, or without a `side` — may have at most `maximumWholePixels`.
///
/// ## Conversion to grey
///
/// A sample s of bit depth d becomes s / (2^d − 1). Colour becomes luma, 0.299 R + 0.587 G +
/// 0.114 B (ITU-R BT.601, on the stored values: gAMA, sRGB and ICC profiles are ignored). A pixel
/// with opacity α is composited over white, v·α + (1 − α), so ink drawn on a transparent canvas
/// comes out dark on white. Opacity comes from the alpha channel (colour types 4 and 6) or from a
/// tRNS chunk: one alpha byte per palette entry (entries beyond it are opaque), or for greyscale
/// and RGB images the one sample value (2 bytes) or colour (3 × 2 bytes) that is fully transparent.
/// A tRNS chunk of the wrong size is ignored, as libpng does.
public enum PNGDecoder {
    /// The first eight bytes of every PNG file.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The most pixels of an image decoded whole: 16,777,216 (4096 × 4096), 134 MB as `Double`s.
    public static let maximumWholePixels = 4096 * 4096

    /// Reads the PNG file at `url`; shrunk to at most `side` pixels a side where one is given.
    public static func read(url: URL, scaledDownTo side: Int? = nil) throws -> GreyImage {
        try decode(FileBytes.read(url), path: url.path, scaledDownTo: side)
    }

    /// Decodes the bytes of a PNG file; shrunk to at most `side` pixels a side where one is given.
    /// `path` names the file in error messages.
    public static func decode(_ bytes: [UInt8], path: String, scaledDownTo side: Int? = nil) throws -> GreyImage {
        try decodeImage(chunks(of: bytes, path: path), path: path, side: side)
    }

    /// The chunks that matter for decoding.
    struct Contents {
        var header: PNGHeader
        var palette: [UInt8]?
        var transparency: [UInt8]?
        /// The concatenated data of the IDAT chunks.
        var imageData: [UInt8]
    }

    /// Checks the signature and every chunk up to IEND, and collects the ones that matter.
    static func chunks(of bytes: [UInt8], path: String) throws -> Contents {
        guard bytes.starts(with: signature) else {
            if !bytes.isEmpty && bytes.count < signature.count && signature.starts(with: bytes) {
                throw PNGError.truncated(path: path, offset: bytes.count, expected: "the end of the PNG signature")
            }
            throw PNGError.badSignature(path: path, found: Array(bytes.prefix(signature.count)))
        }
        var header: PNGHeader?
        var palette: [UInt8]?
        var transparency: [UInt8]?
        var imageData: [UInt8] = []
        var sawImageData = false
        var offset = signature.count

        while true {
            let awaited = header == nil ? "the IHDR chunk" : sawImageData ? "the IEND chunk" : "the image data (IDAT chunks)"
            guard bytes.count - offset >= 8 else {
                throw PNGError.truncated(path: path, offset: bytes.count, expected: awaited)
            }
            let length = bigEndianUInt32(bytes, at: offset)
            let typeBytes = Array(bytes[offset + 4 ..< offset + 8])
            let type = chunkName(typeBytes)
            guard length <= 0x7FFF_FFFF else {
                throw PNGError.chunkTooLong(path: path, chunk: type, offset: offset, length: length)
            }
            let dataStart = offset + 8
            let dataEnd = dataStart + Int(length)  // cannot overflow: length < 2³¹
            guard bytes.count >= dataEnd + 4 else {
                throw PNGError.truncated(path: path, offset: bytes.count, expected: "the end of the \(type) chunk that starts at byte \(offset)")
            }
            let stored = bigEndianUInt32(bytes, at: dataEnd)
            let computed = CRC32.checksum(bytes[offset + 4 ..< dataEnd])
            guard stored == computed else {
                throw PNGError.crcMismatch(path: path, chunk: type, offset: offset, stored: stored, computed: computed)
            }
            let data = bytes[dataStart ..< dataEnd]
            if header == nil && type != "IHDR" {
                throw PNGError.missingHeader(path: path, firstChunk: type)
            }

            switch type {
            case "IHDR":
                guard header == nil else { throw PNGError.badHeader(path: path, reason: "a second IHDR chunk at byte \(offset)") }
                header = try parseHeader(Array(data), path: path)
            case "PLTE":
                palette = Array(data)
            case "tRNS":
                transparency = Array(data)
            case "IDAT":
                imageData += data
                sawImageData = true
            case "IEND":
                guard let header else { throw PNGError.missingHeader(path: path, firstChunk: type) }
                guard sawImageData else { throw PNGError.noImageData(path: path) }
                return Contents(header: header, palette: palette, transparency: transparency, imageData: imageData)
            default:
                // Bit 5 of the first type byte (lower case) marks an ancillary chunk, which may be skipped.
                if typeBytes[0] & 0x20 == 0 {
                    throw PNGError.unknownCriticalChunk(path: path, chunk: type)
                }
            }
            offset = dataEnd + 4
        }
    }

    /// Parses and checks the 13 bytes of IHDR data.
    static func parseHeader(_ data: [UInt8], path: String) throws -> PNGHeader {
        guard data.count == 13 else {
            throw PNGError.badHeader(path: path, reason: "expected 13 bytes of data, found \(data.count)")
        }
        let width = Int(bigEndianUInt32(data, at: 0))
        let height = Int(bigEndianUInt32(data, at: 4))
        let (bitDepth, colourByte) = (data[8], data[9])
        let (compression, filter, interlace) = (data[10], data[11], data[12])

        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw PNGError.badHeader(path: path, reason: "the size \(width)×\(height) is outside 1 ... 2147483647 pixels a side")
        }
        guard let colourType = PNGColourType(rawValue: colourByte), colourType.allowedBitDepths.contains(Int(bitDepth)) else {
            throw PNGError.unsupportedFormat(path: path, colourType: colourByte, bitDepth: bitDepth)
        }
        guard compression == 0 else {
            throw PNGError.badHeader(path: path, reason: "compression method \(compression), expected 0 (deflate)")
        }
        guard filter == 0 else {
            throw PNGError.badHeader(path: path, reason: "filter method \(filter), expected 0")
        }
        guard interlace <= 1 else {
            throw PNGError.badHeader(path: path, reason: "interlace method \(interlace), expected 0 (none) or 1 (Adam7)")
        }
        guard width <= GreyImage.maximumSide, height <= GreyImage.maximumSide else {
            throw PNGError.tooLarge(path: path, width: width, height: height, limit: GreyImage.maximumSide)
        }
        return PNGHeader(width: width, height: height, bitDepth: Int(bitDepth), colourType: colourType, interlaced: interlace == 1)
    }

    /// Adam7's passes: the first column and row of each, and the steps between its columns and rows.
    static let adam7: [(x: Int, y: Int, dx: Int, dy: Int)] = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    /// Decompresses, unfilters and converts the scanlines, one row at a time; for an interlaced
    /// image, pass by pass, then interleaves the passes.
    static func decodeImage(_ contents: Contents, path: String, side: Int? = nil) throws -> GreyImage {
        let header = contents.header
        let (width, height) = (header.width, header.height)
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard header.scanlineBytes != nil, !overflow else {
            throw PNGError.tooLarge(path: path, width: width, height: height, limit: GreyImage.maximumSide)
        }
        let factor = side.map { AreaReduction.factor(width: width, height: height, toAtMost: $0) } ?? 1
        let streamed = factor > 1 && !header.interlaced
        guard streamed || pixelCount <= maximumWholePixels else {
            throw PNGError.tooManyPixels(path: path, width: width, height: height, limit: maximumWholePixels)
        }
        // Checks the palette before the image data.
        _ = try PNGGreyConverter(header: header, palette: contents.palette, transparency: contents.transparency, path: path)

        let inflater: ZlibInflater
        do {
            inflater = try ZlibInflater(contents.imageData)
        } catch {
            throw imageDataError(error, path: path)
        }
        if streamed {
            var reduction = AreaReduction(width: width, height: height, factor: factor)
            _ = try decodePass(contents, width: width, height: height, inflater: inflater, pass: nil, path: path, into: &reduction)
            return reduction.image
        }
        guard header.interlaced else {
            let pixels = try decodePass(contents, width: width, height: height, inflater: inflater, pass: nil, path: path)
            return GreyImage(width: width, height: height, pixels: pixels)
        }
        var passes: [[Double]] = []
        for (number, pass) in adam7.enumerated() {
            let passWidth = width > pass.x ? (width - pass.x + pass.dx - 1) / pass.dx : 0
            let passHeight = height > pass.y ? (height - pass.y + pass.dy - 1) / pass.dy : 0
            passes.append(try decodePass(contents, width: passWidth, height: passHeight, inflater: inflater, pass: number + 1, path: path))
        }
        var pixels = [Double](repeating: 0, count: pixelCount)
        for (pass, values) in zip(adam7, passes) where !values.isEmpty {
            let passWidth = (width - pass.x + pass.dx - 1) / pass.dx
            for (index, value) in values.enumerated() {
                let (row, column) = index.quotientAndRemainder(dividingBy: passWidth)
                pixels[(pass.y + row * pass.dy) * width + pass.x + column * pass.dx] = value
            }
        }
        let image = GreyImage(width: width, height: height, pixels: pixels)
        return factor > 1 ? DigitPreprocessing.reduced(image, toAtMost: side!).image : image
    }

    /// The `width × height` pixels of one pass (the whole image when not interlaced: `pass` nil;
    /// else its number, 1 to 7), read from `inflater`. A pass with no pixels reads nothing. With a
    /// `reduction`, each row goes into it instead, and nothing is returned.
    static func decodePass(_ contents: Contents, width: Int, height: Int, inflater: ZlibInflater, pass: Int?,
                           path: String, into reduction: UnsafeMutablePointer<AreaReduction>? = nil) throws -> [Double] {
        guard width > 0, height > 0 else { return [] }
        var header = contents.header
        header.width = width
        header.height = height
        guard let rowBytes = header.scanlineBytes else {
            throw PNGError.tooLarge(path: path, width: width, height: height, limit: GreyImage.maximumSide)
        }
        let converter = try PNGGreyConverter(header: header, palette: contents.palette, transparency: contents.transparency, path: path)
        var line = [UInt8](repeating: 0, count: rowBytes + 1)
        var previous = [UInt8](repeating: 0, count: rowBytes)  // the row above the first is all zeros
        var current = [UInt8](repeating: 0, count: rowBytes)
        var pixels: [Double] = []
        pixels.reserveCapacity(reduction == nil ? min(width * height, 1 << 20) : width)  // grows with the rows really decoded

        for row in 0..<height {
            let read: Int
            do {
                read = try line.withUnsafeMutableBufferPointer { try inflater.read(into: $0) }
            } catch {
                throw imageDataError(error, path: path)
            }
            guard read == line.count else {
                if let pass { throw PNGError.passEndsEarly(path: path, pass: pass, rows: row, height: height) }
                throw PNGError.imageDataEndsEarly(path: path, rows: row, height: height)
            }
            guard unfilter(line, previous: previous, into: &current, stride: header.filterStride) else {
                throw PNGError.badFilterType(path: path, row: row, filterType: line[0])
            }
            try converter.append(row: current, number: row, to: &pixels)
            if let reduction {
                pixels.withUnsafeBufferPointer { reduction.pointee.add(row: $0) }
                pixels.removeAll(keepingCapacity: true)
            }
            swap(&previous, &current)
        }
        return pixels
    }

    /// Reverses the filter named by `line[0]` on the filtered bytes `line[1...]`, writing the
    /// scanline into `current` (`previous` is the scanline above). False for an unknown filter type.
    static func unfilter(_ line: [UInt8], previous: [UInt8], into current: inout [UInt8], stride: Int) -> Bool {
        let count = current.count
        switch line[0] {
        case 0:  // None
            for i in 0..<count {
                current[i] = line[i + 1]
            }
        case 1:  // Sub
            for i in 0..<count {
                let a = i >= stride ? current[i - stride] : 0
                current[i] = line[i + 1] &+ a
            }
        case 2:  // Up
            for i in 0..<count {
                current[i] = line[i + 1] &+ previous[i]
            }
        case 3:  // Average
            for i in 0..<count {
                let a = i >= stride ? Int(current[i - stride]) : 0
                current[i] = line[i + 1] &+ UInt8((a + Int(previous[i])) / 2)
            }
        case 4:  // Paeth
            for i in 0..<count {
                let a = i >= stride ? current[i - stride] : 0
                let c = i >= stride ? previous[i - stride] : 0
                current[i] = line[i + 1] &+ paeth(a, previous[i], c)
            }
        default:
            return false
        }
        return true
    }

    /// The Paeth predictor: of `a` (left), `b` (above) and `c` (above left), the one nearest to
    /// a + b − c, preferring a, then b, on ties.
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let (pa, pb, pc) = (abs(p - Int(a)), abs(p - Int(b)), abs(p - Int(c)))
        if pa <= pb && pa <= pc { return a }
        if pb <= pc { return b }
        return c
    }

    /// The PNG error for a failure of zlib on the image data.
    private static func imageDataError(_ error: any Error, path: String) -> PNGError {
        switch error as? ZlibInflater.Problem {
        case .unavailable(let code): .zlibUnavailable(path: path, code: code)
        case .corrupt(let reason): .corruptImageData(path: path, reason: reason)
        case nil: .corruptImageData(path: path, reason: "\(error)")
        }
    }

    /// A chunk type for messages: its letters, or its bytes in hex if they are not all ASCII letters.
    static func chunkName(_ type: [UInt8]) -> String {
        let isLetter = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        return type.allSatisfy(isLetter) ? String(decoding: type, as: UTF8.self) : "[" + PNGError.hex(type) + "]"
    }

    /// The 32-bit big-endian unsigned integer at `offset` (the caller checks that 4 bytes are there).
    static func bigEndianUInt32(_ bytes: some RandomAccessCollection<UInt8>, at offset: Int) -> UInt32 {
        let start = bytes.index(bytes.startIndex, offsetBy: offset)
        return bytes[start...].prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
