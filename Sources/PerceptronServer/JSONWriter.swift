/// Writes the API's JSON answers straight into bytes. The answers are arrays of numbers (784 of
/// them for `input`), where `JSONEncoder` would spend more time than the network does.
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func int(_ value: Int) {
        raw(String(value))
    }

    /// The shortest decimal that reads back as the same `Float`; 0 as `0`; NaN and infinities,
    /// which JSON cannot write, as `null`.
    mutating func number(_ value: Float) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
        } else if value.isFinite {
            raw(value.description)
        } else {
            raw("null")
        }
    }

    /// `[a,b,…]`
    mutating func numbers(_ values: some Collection<Float>) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            number(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `[a,b,…]` for network inputs in [0, 1]: values that are exactly k/255 (as from bytes, and as
    /// the page's test digits send them) are written from the table, the rest as `number` does.
    mutating func inputs(_ values: [Float]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let k = value >= 0 && value <= 1 ? Int((value * 255).rounded()) : -1
            if k >= 0, Float(k) / 255 == value {
                bytes.append(contentsOf: Self.byteFractions[k])
            } else {
                number(value)
            }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `[b/255,…]` for bytes, with the 256 possible numbers written once and reused.
    mutating func fractions(_ values: some Collection<UInt8>) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(contentsOf: Self.byteFractions[Int(value)])
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `"…"` with the characters JSON requires escaped.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                raw("\\u00")
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `k / 255` as JSON, for k = 0…255: the value the network is given for byte k.
    static let byteFractions: [[UInt8]] = (0...255).map { k in
        k == 0 ? Array("0".utf8) : Array((Float(k) / 255).description.utf8)
    }

    /// `{"error": message}`
    static func error(_ message: String) -> [UInt8] {
        var writer = JSONWriter(capacity: message.utf8.count + 16)
        writer.raw(#"{"error":"#)
        writer.string(message)
        writer.raw("}")
        return writer.bytes
    }
}
