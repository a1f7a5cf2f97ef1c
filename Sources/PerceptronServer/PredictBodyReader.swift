#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict JSON reader (RFC 8259) for the body of `POST /api/predict`: one object whose
/// `"pixels"` is an array of numbers and/or whose `"image"` is a string; other keys are read and
/// ignored; a key given twice in one object, at any depth, is refused. It reads the 784 numbers
/// straight into `Float`s, without building a JSON tree, and says precisely what is wrong: where
/// the JSON is broken, which pixel is not a number or out of range (NaN and Infinity, which JSON
/// has no words for, are named as such).
///
/// Strings must be UTF-8. Nesting is limited to 32 levels, so that no body can exhaust the stack.
struct PredictBodyReader {
    struct Body {
        var pixels: [Float]?
        /// The count of values in `"pixels"`.
        var pixelCount = 0
        var image: [UInt8]?
    }

    static let maximumDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Reads `body`; every problem is a `PredictRequestError`.
    static func read(_ body: [UInt8]) throws(PredictRequestError) -> Body {
        do {
            return try body.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(PredictRequestError) -> Body in
                var reader = PredictBodyReader(buffer)
                return try reader.readBody()
            }
        }
    }

    // MARK: The object

    private mutating func readBody() throws(PredictRequestError) -> Body {
        skipWhitespace()
        guard let first = peek() else { throw PredictRequestError("the request body is empty: \(PredictRequest.usage)") }
        guard first == UInt8(ascii: "{") else {
            try skipValue(depth: 0)  // a malformed body is reported as such first
            skipWhitespace()
            if position < bytes.count { throw malformed("only whitespace may follow the JSON value") }
            throw PredictRequestError("the body is not a JSON object: \(PredictRequest.usage)")
        }
        position += 1
        var body = Body()
        var keys = Set<[UInt8]>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw malformed("expected a key in quotes") }
                let key = try readUniqueKey(into: &keys)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "after the key \"\(String(decoding: key, as: UTF8.self))\"")
                skipWhitespace()
                switch key {
                case Array("pixels".utf8):
                    if try !skipNull() {
                        guard peek() == UInt8(ascii: "[") else {
                            try skipValue(depth: 1)
                            throw PredictRequestError(#""pixels" is not an array: expected 784 numbers in 0…1"#)
                        }
                        (body.pixels, body.pixelCount) = try readPixels()
                    } else {
                        body.pixels = nil
                    }
                case Array("image".utf8):
                    if try !skipNull() {
                        guard peek() == UInt8(ascii: "\"") else {
                            try skipValue(depth: 1)
                            throw PredictRequestError(#""image" is not a string: expected a base64 PNG"#)
                        }
                        body.image = try readString()
                    } else {
                        body.image = nil
                    }
                default:
                    try skipValue(depth: 1)
                }
                skipWhitespace()
                guard let next = peek() else { throw malformed("the object is not closed with '}'") }
                position += 1
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: ",") else { position -= 1; throw malformed("expected ',' or '}' after a value") }
            }
        }
        skipWhitespace()
        if position < bytes.count { throw malformed("only whitespace may follow the object") }
        return body
    }

    /// `[n, n, …]`: every element a number in [0, 1]; returns the first 784 and the count.
    private mutating func readPixels() throws(PredictRequestError) -> ([Float], Int) {
        position += 1  // [
        var pixels: [Float] = []
        pixels.reserveCapacity(PredictRequest.pixelCount)
        var count = 0
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return (pixels, 0)
        }
        while true {
            skipWhitespace()
            guard let first = peek() else { throw malformed("the pixels array is not closed with ']'") }
            let index = count
            let value: Double
            if let word = peekWord(), ["NaN", "nan", "Infinity", "-Infinity", "inf", "-inf"].contains(word) {
                throw PredictRequestError("pixels[\(index)] is \(word): expected a number in 0…1 (JSON has no \(word))")
            } else if first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
                let start = position
                value = try readNumber()
                guard value >= 0 && value <= 1 else {
                    let text = String(decoding: bytes[start..<position], as: UTF8.self)
                    throw PredictRequestError("pixels[\(index)] is \(text), outside 0…1 (0 is background, 1 full ink)")
                }
            } else {
                let start = position
                try skipValue(depth: 2)
                let found = bytes[start] == UInt8(ascii: "\"") ? "a string"
                    : bytes[start] == UInt8(ascii: "n") ? "null"
                    : bytes[start] == UInt8(ascii: "[") ? "an array"
                    : bytes[start] == UInt8(ascii: "{") ? "an object" : "true or false"
                throw PredictRequestError("pixels[\(index)] is not a number but \(found): expected 784 numbers in 0…1")
            }
            if count < PredictRequest.pixelCount { pixels.append(Float(value)) }
            count += 1
            skipWhitespace()
            guard let next = peek() else { throw malformed("the pixels array is not closed with ']'") }
            position += 1
            if next == UInt8(ascii: "]") { return (pixels, count) }
            guard next == UInt8(ascii: ",") else { position -= 1; throw malformed("expected ',' or ']' after pixels[\(index)]") }
        }
    }

    // MARK: Values

    /// A JSON number, exactly as `strtod` would read it (a fast path for short decimals).
    private mutating func readNumber() throws(PredictRequestError) -> Double {
        let start = position
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; position += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        guard let first = peek(), isDigit(first) else { throw malformed("expected a digit") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw malformed("a number may not start with 0 followed by digits") }
        } else {
            while let c = peek(), isDigit(c) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(c - 48); digits += 1 } else { exponent += 1 }
                position += 1
            }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let c = peek(), isDigit(c) else { throw malformed("expected a digit after the decimal point") }
            while let c = peek(), isDigit(c) {
                if digits < 19 {
                    if mantissa != 0 || c != 48 { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                    exponent -= 1
                }
                position += 1
            }
        }
        var explicitExponent = false
        if let c = peek(), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            explicitExponent = true
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let d = peek(), isDigit(d) else { throw malformed("expected a digit in the exponent") }
            while let d = peek(), isDigit(d) { position += 1 }
        }
        // Clinger's fast path: an integer mantissa below 2⁵³ times or divided by an exact power of ten.
        if !explicitExponent && mantissa < 1 << 53 && exponent >= -22 && exponent <= 0 {
            let value = Double(mantissa) / Self.powersOfTen[-exponent]
            return negative ? -value : value
        }
        return strtodOf(start..<position)
    }

    private static let powersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { value, _ in value * 10 } }

    private func strtodOf(_ range: Range<Int>) -> Double {
        var text = [CChar](repeating: 0, count: range.count + 1)
        for (offset, index) in range.enumerated() { text[offset] = CChar(bitPattern: bytes[index]) }
        return strtod(text, nil)
    }

    /// A string's bytes (UTF-8), escapes decoded.
    private mutating func readString() throws(PredictRequestError) -> [UInt8] {
        position += 1  // "
        var result: [UInt8] = []
        while true {
            guard let c = peek() else { throw malformed("a string is not closed with '\"'") }
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                return result
            case UInt8(ascii: "\\"):
                guard let e = peek() else { throw malformed("a string ends inside an escape") }
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(e)
                case UInt8(ascii: "b"): result.append(8)
                case UInt8(ascii: "f"): result.append(12)
                case UInt8(ascii: "n"): result.append(10)
                case UInt8(ascii: "r"): result.append(13)
                case UInt8(ascii: "t"): result.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar), peek() == UInt8(ascii: "\\"),
                       position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw malformed("an unpaired surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw malformed("an unpaired surrogate in a \\u escape") }
                    result.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    position -= 1
                    throw malformed("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            case 0..<0x20:
                position -= 1
                throw malformed("a control character inside a string (write it as an escape)")
            case 0x80...:
                position -= 1
                let length = utf8SequenceLength()
                guard length > 0 else { throw malformed("a string holds bytes that are not UTF-8") }
                result.append(contentsOf: bytes[position..<position + length])
                position += length
            default:
                result.append(c)
            }
        }
    }

    /// An object's key, which must differ from the keys before it in the same object (`keys`): JSON
    /// leaves a repeated key's meaning open, and which `"pixels"` to believe is not ours to guess.
    private mutating func readUniqueKey(into keys: inout Set<[UInt8]>) throws(PredictRequestError) -> [UInt8] {
        let start = position
        let key = try readString()
        guard keys.insert(key).inserted else {
            throw PredictRequestError("the key \"\(String(decoding: key, as: UTF8.self))\" appears twice in one object "
                + "(again at byte \(start)): give each key once; \(PredictRequest.usage)")
        }
        return key
    }

    /// The length of the well-formed UTF-8 sequence at the position (2 to 4 bytes: no overlong
    /// form, no surrogate, nothing past U+10FFFF), or 0 if there is none. JSON is UTF-8 (RFC 8259 §8.1).
    private func utf8SequenceLength() -> Int {
        let lead = bytes[position]
        let (length, second): (Int, ClosedRange<UInt8>)
        switch lead {
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return 0
        }
        guard position + length <= bytes.count, second.contains(bytes[position + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[position + offset]) { return 0 }
        return length
    }

    private mutating func readHex4() throws(PredictRequestError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek() else { throw malformed("a \\u escape needs four hex digits") }
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - 55)
            default: throw malformed("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Reads any JSON value without keeping it, checking its syntax.
    private mutating func skipValue(depth: Int) throws(PredictRequestError) {
        guard depth <= Self.maximumDepth else { throw PredictRequestError("malformed JSON: nested more than \(Self.maximumDepth) levels deep") }
        skipWhitespace()
        guard let c = peek() else { throw malformed("expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { position += 1; return }
            var keys = Set<[UInt8]>()
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw malformed("expected a key in quotes") }
                _ = try readUniqueKey(into: &keys)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "after a key")
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard let next = peek() else { throw malformed("an object is not closed with '}'") }
                position += 1
                if next == UInt8(ascii: "}") { return }
                guard next == UInt8(ascii: ",") else { position -= 1; throw malformed("expected ',' or '}' after a value") }
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard let next = peek() else { throw malformed("an array is not closed with ']'") }
                position += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else { position -= 1; throw malformed("expected ',' or ']' after a value") }
            }
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try readNumber()
        default:
            for word in ["true", "false", "null"] where matches(word) {
                position += word.utf8.count
                return
            }
            throw malformed("expected a value")
        }
    }

    /// `null` (consumed) or not.
    private mutating func skipNull() throws(PredictRequestError) -> Bool {
        guard matches("null") else { return false }
        position += 4
        return true
    }

    // MARK: Bytes

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        for (offset, byte) in utf8.enumerated() where bytes[position + offset] != byte { return false }
        return true
    }

    /// The letters (and a leading '-') at the position, for naming NaN and Infinity.
    private func peekWord() -> String? {
        var end = position
        if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
        while end < bytes.count, (bytes[end] | 0x20) >= UInt8(ascii: "a"), (bytes[end] | 0x20) <= UInt8(ascii: "z") { end += 1 }
        return end > position ? String(decoding: bytes[position..<end], as: UTF8.self) : nil
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ context: String) throws(PredictRequestError) {
        guard peek() == byte else { throw malformed("expected '\(Character(Unicode.Scalar(byte)))' \(context)") }
        position += 1
    }

    private func malformed(_ problem: String) -> PredictRequestError {
        let found: String
        if let c = peek() {
            found = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        } else {
            found = "the end of the body"
        }
        return PredictRequestError("malformed JSON at byte \(position): \(problem), found \(found); \(PredictRequest.usage)")
    }
}
