import Foundation

/// Reads PGM (Netpbm portable greymap) images as `GreyImage`s.
///
/// A PGM file is a text header followed by the pixels:
///
///     field    content
///     magic    "P2" (plain: samples written as decimal numbers) or "P5" (binary)
///     width    whitespace, then a decimal number, at least 1
///     height   whitespace, then a decimal number, at least 1
///     maxval   whitespace, then a decimal number, 1 ... 65535: the sample value of white
///     raster   P5: exactly one whitespace character, then height rows of width samples, each
///              one byte if maxval < 256, otherwise two bytes, big-endian
///              P2: height × width decimal numbers separated by whitespace
///
/// Rows run from the top, samples within a row from the left; 0 is black, maxval is white, and
/// each sample s becomes the intensity s / maxval. Whitespace is space, tab, CR, LF, VT or FF.
/// A comment runs from `#` to the end of the line and may stand wherever whitespace may in the
/// header (and, leniently, between P2 samples). Every sample must be at most maxval. Netpbm allows
/// several images in one file; only the first is read and anything after it is ignored.
///
/// Width and height are checked against `GreyImage.maximumSide`, and the pixels are allocated
/// only after the file is known to hold them (P5) or as the values are read (P2).
public enum PGMReader {
    /// Reads the PGM file at `url`.
    public static func read(url: URL) throws -> GreyImage {
        try decode(FileBytes.read(url), path: url.path)
    }

    /// Decodes the bytes of a PGM file. `path` names the file in error messages.
    public static func decode(_ bytes: [UInt8], path: String) throws -> GreyImage {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "2") || bytes[1] == UInt8(ascii: "5") else {
            throw PGMError.notPGM(path: path, found: Array(bytes.prefix(8)))
        }
        let plain = bytes[1] == UInt8(ascii: "2")
        var scanner = Scanner(bytes: bytes, position: 2)

        var fields: [(text: String, value: Int)] = []
        for name in ["width", "height", "maximum value"] {
            scanner.skipWhitespaceAndComments()
            let token = scanner.token()
            guard let token else { throw PGMError.badHeaderField(path: path, field: name, found: "the end of the file") }
            guard let value = Scanner.number(token) else {
                throw PGMError.badHeaderField(path: path, field: name, found: PGMError.quoted(Array(token.prefix(20))))
            }
            fields.append((String(decoding: token.prefix(20), as: UTF8.self), value))
        }
        let (widthText, heightText, maxvalText) = (fields[0].text, fields[1].text, fields[2].text)
        let (width, height, maxval) = (fields[0].value, fields[1].value, fields[2].value)
        guard width <= GreyImage.maximumSide, height <= GreyImage.maximumSide else {
            throw PGMError.tooLarge(path: path, width: widthText, height: heightText, limit: GreyImage.maximumSide)
        }
        guard width > 0, height > 0 else { throw PGMError.emptyImage(path: path, width: width, height: height) }
        guard (1...65535).contains(maxval) else {
            throw PGMError.badMaxval(path: path, found: maxvalText)
        }
        let count = width * height  // at most 8192², no overflow
        let white = Double(maxval)

        if plain {
            var pixels: [Double] = []
            pixels.reserveCapacity(min(count, bytes.count / 2 + 1))  // each value takes at least 2 bytes
            for index in 0..<count {
                scanner.skipWhitespaceAndComments()
                guard let token = scanner.token() else {
                    throw PGMError.truncatedText(path: path, expectedValues: count, foundValues: index)
                }
                let (x, y) = (index % width, index / width)
                guard let value = Scanner.number(token) else {
                    throw PGMError.badSample(path: path, x: x, y: y, found: PGMError.quoted(Array(token.prefix(20))))
                }
                guard value <= maxval else {
                    throw PGMError.sampleAboveMaxval(path: path, x: x, y: y, found: String(decoding: token.prefix(20), as: UTF8.self), maxval: maxval)
                }
                pixels.append(Double(value) / white)
            }
            return GreyImage(width: width, height: height, pixels: pixels)
        }

        // P5: exactly one whitespace character after maxval, then the samples.
        let start = scanner.position + 1
        let sampleBytes = maxval < 256 ? 1 : 2
        let needed = count * sampleBytes
        let available = max(0, bytes.count - start)
        guard available >= needed else {
            throw PGMError.truncatedBinary(path: path, expectedBytes: needed, foundBytes: available)
        }
        var pixels = [Double](repeating: 0, count: count)
        for index in 0..<count {
            let value = sampleBytes == 1
                ? Int(bytes[start + index])
                : Int(bytes[start + 2 * index]) << 8 | Int(bytes[start + 2 * index + 1])
            guard value <= maxval else {
                throw PGMError.sampleAboveMaxval(path: path, x: index % width, y: index / width, found: String(value), maxval: maxval)
            }
            pixels[index] = Double(value) / white
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    /// Reads the tokens of a Netpbm header: runs of characters between whitespace and comments.
    struct Scanner {
        let bytes: [UInt8]
        var position: Int

        /// Whether `byte` is PGM whitespace: space, tab, LF, VT, FF or CR.
        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || (0x09...0x0D).contains(byte)
        }

        /// Moves past whitespace and comments (`#` to the end of the line).
        mutating func skipWhitespaceAndComments() {
            while position < bytes.count {
                if Self.isWhitespace(bytes[position]) {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D {
                        position += 1
                    }
                } else {
                    return
                }
            }
        }

        /// The bytes up to the next whitespace, `#` or the end, or nil at the end of the file.
        mutating func token() -> ArraySlice<UInt8>? {
            let start = position
            while position < bytes.count && !Self.isWhitespace(bytes[position]) && bytes[position] != UInt8(ascii: "#") {
                position += 1
            }
            return position > start ? bytes[start..<position] : nil
        }

        /// The value of a token of decimal digits, saturating at `Int.max` for numbers of more
        /// than 9 digits (far more than any PGM field may hold); nil if it is not all digits.
        static func number(_ token: ArraySlice<UInt8>) -> Int? {
            guard token.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            let digits = token.drop { $0 == 0x30 }  // leading zeros
            guard digits.count <= 9 else { return Int.max }
            return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
    }
}
