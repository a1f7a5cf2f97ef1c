import CZlib

/// CRC-32 as used by PNG, zlib's `crc32`, gzip and Ethernet (ISO 3309 / ITU-T V.42), computed by
/// zlib's `crc32_z`.
///
/// The checksum is the remainder of the message, read least significant bit first, divided by
/// the generator polynomial x³² + x²⁶ + x²³ + x²² + x¹⁶ + x¹² + x¹¹ + x¹⁰ + x⁸ + x⁷ + x⁵ + x⁴ + x² + x + 1
/// (0xEDB88320 in reflected form), with the register starting at all ones and the result
/// complemented. Check value: the CRC-32 of the ASCII bytes "123456789" is 0xCBF43926.
public enum CRC32 {
    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        bytes.withContiguousStorageIfAvailable(zlibChecksum) ?? Array(bytes).withUnsafeBufferPointer(zlibChecksum)
    }

    /// zlib's CRC-32 of the bytes in `buffer`, from zlib's value for no bytes, 0.
    private static func zlibChecksum(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_z(0, buffer.baseAddress, buffer.count))
    }
}
