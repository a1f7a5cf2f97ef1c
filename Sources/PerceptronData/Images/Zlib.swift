import CZlib

/// Compression into zlib streams (RFC 1950), as PNG's IDAT data must be.
enum Zlib {
    /// `bytes` compressed as one zlib stream (deflate at zlib's default level).
    ///
    /// zlib fails only when it cannot allocate its working memory; like any other allocation
    /// failure in Swift, that stops the program.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let result = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &length, source.baseAddress, uLong(source.count), Z_DEFAULT_COMPRESSION)
            }
        }
        precondition(result == Z_OK, "zlib compress2 failed with error \(result): out of memory")
        output.removeSubrange(Int(length)...)
        return output
    }
}
