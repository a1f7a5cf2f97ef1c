import CZlib

/// Decompression of gzip files (RFC 1952) with zlib.
///
/// A gzip file is one or more *members*, each a 10-byte header starting with the magic bytes
/// `1f 8b`, a deflate stream (RFC 1951), and an 8-byte trailer holding the CRC-32 and length of
/// the uncompressed data. Concatenated members decompress to the concatenation of their contents,
/// as `gunzip` does.
public enum Gzip {
    /// The first two bytes of every gzip member.
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// The default cap on decompressed output, 256 MiB: more than five times the largest MNIST file.
    public static let defaultMaximumOutputSize = 256 << 20

    /// Whether `bytes` starts like gzip data (the magic bytes `1f 8b`).
    public static func isCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: magic)
    }

    /// The decompressed contents of the gzip data `data` (all members, in order).
    ///
    /// Throws `GzipError` if the data is corrupt (bytes after the last member that are not another
    /// member count as corrupt), ends early, or would decompress to more than `maximumOutputSize`
    /// bytes (so that damaged input cannot exhaust memory).
    public static func decompress(_ data: [UInt8], maximumOutputSize: Int = defaultMaximumOutputSize) throws -> [UInt8] {
        var stream = z_stream()
        // `inflateInit2` is a C macro, which Swift does not import; it expands to this call.
        // Window bits 15 + 32: the largest window, and detect a gzip (or zlib) header automatically.
        let started = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw GzipError.zlibUnavailable(code: started) }
        defer { inflateEnd(&stream) }
        guard !data.isEmpty else { throw GzipError.truncated(inputBytes: 0) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 18)

        try data.withUnsafeBufferPointer { input in
            guard let start = input.baseAddress else { return }
            stream.avail_in = 0
            var consumed = 0  // bytes of `input` handed to zlib so far (the last `avail_in` of them not yet read)

            while true {
                // Hand zlib the next piece of input (`avail_in` is 32-bit, so at most 1 GiB at a time).
                if stream.avail_in == 0 && consumed < input.count {
                    let piece = min(input.count - consumed, 1 << 30)
                    // zlib's `next_in` is not `const` (unless zlib is built with ZLIB_CONST), but it is only read.
                    stream.next_in = UnsafeMutablePointer(mutating: start + consumed)
                    stream.avail_in = UInt32(piece)
                    consumed += piece
                }
                let inputOffset = consumed - Int(stream.avail_in)

                let result = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= maximumOutputSize else {
                    throw GzipError.outputTooLarge(limit: maximumOutputSize)
                }
                output.append(contentsOf: chunk[0..<produced])

                switch result {
                case Z_STREAM_END:
                    // One member done. Stop at the end of the input; otherwise another member follows.
                    if stream.avail_in == 0 && consumed == input.count {
                        return
                    }
                    let reset = inflateReset(&stream)
                    guard reset == Z_OK else { throw GzipError.corrupt(offset: inputOffset, reason: "zlib could not reset for the next member") }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress was possible: the input has run out before the stream ended.
                    if stream.avail_in == 0 && consumed == input.count {
                        throw GzipError.truncated(inputBytes: input.count)
                    }
                    throw GzipError.corrupt(offset: inputOffset, reason: "zlib could not make progress")
                case Z_DATA_ERROR:
                    let reason = stream.msg.map { String(cString: $0) } ?? "invalid compressed data"
                    throw GzipError.corrupt(offset: consumed - Int(stream.avail_in), reason: reason)
                case Z_NEED_DICT:
                    throw GzipError.corrupt(offset: inputOffset, reason: "the stream needs a preset dictionary, which gzip files never use")
                case Z_MEM_ERROR:
                    throw GzipError.zlibUnavailable(code: result)
                default:
                    throw GzipError.corrupt(offset: inputOffset, reason: "zlib error \(result)")
                }
            }
        }
        return output
    }
}
