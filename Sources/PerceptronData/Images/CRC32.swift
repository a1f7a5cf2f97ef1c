/// CRC-32 as used by PNG, zlib's `crc32`, gzip and Ethernet (ISO 3309 / ITU-T V.42).
///
/// The checksum is the remainder of the message, read least significant bit first, divided by
/// the generator polynomial x³² + x²⁶ + x²³ + x²² + x¹⁶ + x¹² + x¹¹ + x¹⁰ + x⁸ + x⁷ + x⁵ + x⁴ + x² + x + 1
/// (0xEDB88320 in reflected form), with the register starting at all ones and the result
/// complemented. A table of the 256 remainders of single bytes lets it go a byte at a time.
/// Check value: the CRC-32 of the ASCII bytes "123456789" is 0xCBF43926.
public enum CRC32 {
    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        finish(update(start, with: bytes))
    }

    /// The register before any byte: all ones.
    public static let start: UInt32 = 0xFFFF_FFFF

    /// The register after feeding `bytes` into `register`, for checksums of data in pieces:
    /// `finish(update(update(start, with: a), with: b)) == checksum(a + b)`.
    public static func update(_ register: UInt32, with bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = register
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc
    }

    /// The checksum from the final register: its complement.
    public static func finish(_ register: UInt32) -> UInt32 {
        ~register
    }

    /// The remainder of each byte value, shifted through the polynomial eight times.
    private static let table: [UInt32] = (0..<256).map { value in
        var remainder = UInt32(value)
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? 0xEDB8_8320 ^ (remainder >> 1) : remainder >> 1
        }
        return remainder
    }
}
