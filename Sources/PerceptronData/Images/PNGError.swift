/// Why a file is not a PNG image that `PNGDecoder` can read (see `PNGDecoder` for the format).
///
/// Every case carries the file's path; `description` is one line saying what is wrong, what was
/// expected, what was found, and what to do.
public enum PNGError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with the 8-byte PNG signature.
    case badSignature(path: String, found: [UInt8])
    /// The file ends at byte `offset` while `expected` (a chunk, or the IEND chunk) was still to come.
    case truncated(path: String, offset: Int, expected: String)
    /// A chunk's stored CRC-32 differs from the CRC-32 of its type and data.
    case crcMismatch(path: String, chunk: String, offset: Int, stored: UInt32, computed: UInt32)
    /// A chunk's length field exceeds 2³¹ − 1, the most PNG allows.
    case chunkTooLong(path: String, chunk: String, offset: Int, length: UInt32)
    /// The first chunk is not IHDR.
    case missingHeader(path: String, firstChunk: String)
    /// The IHDR chunk is malformed: wrong length, zero size, unknown method, repeated.
    case badHeader(path: String, reason: String)
    /// A colour type or bit depth the PNG specification does not define.
    case unsupportedFormat(path: String, colourType: UInt8, bitDepth: UInt8)
    /// Width or height above `limit` (`GreyImage.maximumSide`).
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// More pixels than `limit` (`PNGDecoder.maximumWholePixels`) in an image that must be decoded whole.
    case tooManyPixels(path: String, width: Int, height: Int, limit: Int)
    /// A palette image without a PLTE chunk.
    case missingPalette(path: String)
    /// A PLTE chunk whose length is not 3 × (1 ... 256) bytes.
    case badPalette(path: String, length: Int)
    /// A pixel refers to a palette entry that does not exist.
    case paletteIndexOutOfRange(path: String, row: Int, index: Int, paletteSize: Int)
    /// A chunk that readers must understand (its type starts with a capital letter) but this one does not.
    case unknownCriticalChunk(path: String, chunk: String)
    /// No IDAT chunk before IEND.
    case noImageData(path: String)
    /// A scanline's filter-type byte is not 0 ... 4.
    case badFilterType(path: String, row: Int, filterType: UInt8)
    /// The IDAT data is not a valid zlib stream.
    case corruptImageData(path: String, reason: String)
    /// The IDAT data decompresses to fewer scanlines than the height.
    case imageDataEndsEarly(path: String, rows: Int, height: Int)
    /// The IDAT data of an interlaced image ends after `rows` of the `height` rows of Adam7 pass `pass` (1 to 7).
    case passEndsEarly(path: String, pass: Int, rows: Int, height: Int)
    /// zlib could not start (out of memory, or a broken installation).
    case zlibUnavailable(path: String, code: Int32)

    public var description: String {
        let damaged = "the file is damaged or incomplete; save or export the image as PNG again"
        switch self {
        case .badSignature(let path, let found):
            return "\(path): not a PNG file: expected the signature \(Self.hex(PNGDecoder.signature)), found \(Self.hex(found))\(Self.guess(found)); save or export the image as PNG"
        case .truncated(let path, let offset, let expected):
            return "\(path): the file ends after \(offset) bytes, before \(expected); \(damaged)"
        case .crcMismatch(let path, let chunk, let offset, let stored, let computed):
            return "\(path): checksum error in the \(chunk) chunk at byte \(offset): its CRC-32 is stored as \(Self.hex(stored)) but its contents give \(Self.hex(computed)); \(damaged)"
        case .chunkTooLong(let path, let chunk, let offset, let length):
            return "\(path): the \(chunk) chunk at byte \(offset) claims \(length) bytes, more than the 2147483647 PNG allows; \(damaged)"
        case .missingHeader(let path, let firstChunk):
            return "\(path): expected the IHDR chunk first, found \(firstChunk); \(damaged)"
        case .badHeader(let path, let reason):
            return "\(path): invalid IHDR chunk: \(reason); \(damaged)"
        case .unsupportedFormat(let path, let colourType, let bitDepth):
            let known = PNGColourType.allCases.map { "\($0.rawValue) (\($0)) with \($0.allowedBitDepths.map(String.init).joined(separator: "/")) bits" }
            return "\(path): colour type \(colourType) with bit depth \(bitDepth) is not a PNG format: expected one of \(known.joined(separator: ", ")); save or export the image as PNG again"
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path): the image is \(width)×\(height) pixels, larger than the \(limit)×\(limit) accepted; scale it down (a digit needs only a few hundred pixels a side)"
        case .tooManyPixels(let path, let width, let height, let limit):
            return "\(path): the image is \(width)×\(height) pixels, more than the \(limit / 1_000_000) million decoded whole"
                + " (an interlaced PNG cannot be shrunk as it is read); scale it down or save it without interlacing"
        case .missingPalette(let path):
            return "\(path): a palette image without a PLTE chunk: expected the palette before the image data, found none; \(damaged)"
        case .badPalette(let path, let length):
            return "\(path): the PLTE chunk is \(length) bytes: expected 3 bytes per entry, 1 to 256 entries; \(damaged)"
        case .paletteIndexOutOfRange(let path, let row, let index, let paletteSize):
            return "\(path): a pixel in row \(row) uses palette entry \(index), but the palette has \(paletteSize) entries; \(damaged)"
        case .unknownCriticalChunk(let path, let chunk):
            return "\(path): unknown critical chunk \(chunk): expected only IHDR, PLTE, IDAT and IEND among critical chunks (is it an animated or non-standard PNG?); save or export the image as a plain PNG"
        case .noImageData(let path):
            return "\(path): expected IDAT chunks holding the image, found none before IEND; \(damaged)"
        case .badFilterType(let path, let row, let filterType):
            return "\(path): scanline \(row) has filter type \(filterType): expected 0 (None), 1 (Sub), 2 (Up), 3 (Average) or 4 (Paeth); \(damaged)"
        case .corruptImageData(let path, let reason):
            return "\(path): the compressed image data (IDAT) is corrupt: \(reason); \(damaged)"
        case .imageDataEndsEarly(let path, let rows, let height):
            return "\(path): the image data ends after \(rows) of \(height) rows; \(damaged)"
        case .passEndsEarly(let path, let pass, let rows, let height):
            return "\(path): the interlaced image data ends after \(rows) of the \(height) rows of pass \(pass) of 7; \(damaged)"
        case .zlibUnavailable(let path, let code):
            return "\(path): zlib could not start decompressing (error \(code)); check the zlib installation (Debian: zlib1g)"
        }
    }

    /// Bytes as lower-case hex pairs separated by spaces, or "nothing".
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "nothing" : bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    /// A 32-bit value as 0x and 8 hex digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// What a file with this start really is, for common mistakes.
    static func guess(_ start: [UInt8]) -> String {
        ImageFormat.guess(start).map { " (\($0))" } ?? ""
    }
}
