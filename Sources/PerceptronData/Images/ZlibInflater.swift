import CZlib

/// Decompresses one zlib stream (RFC 1950: a 2-byte header, deflate data, an Adler-32 trailer)
/// a piece at a time, so that a caller can take exactly the bytes it expects — a PNG decoder one
/// scanline at a time — and never holds more decompressed data than it asked for.
///
/// Unlike `Gzip.decompress`, it accepts only zlib streams (window bits 15, no gzip header), which
/// is what PNG's IDAT data is.
final class ZlibInflater {
    /// Why decompression stopped.
    enum Problem: Error, Equatable {
        /// zlib could not start (out of memory, or a library that does not match its header).
        case unavailable(code: Int32)
        /// The data is not a valid zlib stream; `reason` is zlib's message.
        case corrupt(reason: String)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    /// A copy of the compressed data, at a fixed address for as long as zlib reads it.
    private let input: UnsafeMutableBufferPointer<UInt8>
    /// The number of compressed bytes (the allocation holds at least one byte, even for none).
    private let inputCount: Int
    /// How many input bytes have been handed to zlib (some may still be in `avail_in`).
    private var fed = 0
    /// Whether the stream's end (and its checksum) has been reached.
    private(set) var finished = false

    init(_ data: [UInt8]) throws(Problem) {
        inputCount = data.count
        input = .allocate(capacity: max(data.count, 1))
        _ = input.initialize(fromContentsOf: data)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // `inflateInit2` is a C macro, which Swift does not import; it expands to this call.
        // Window bits 15: the largest window, zlib header required.
        let started = inflateInit2_(stream, 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw .unavailable(code: started)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Decompresses the next bytes into `buffer` and returns how many were written: all of
    /// `buffer.count`, or fewer if the stream ends (`finished`) or the data runs out first.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(Problem) -> Int {
        guard let output = buffer.baseAddress, let start = input.baseAddress else { return 0 }
        var written = 0
        while written < buffer.count && !finished {
            // Hand zlib the next piece of input (`avail_in` is 32-bit, so at most 1 GiB at a time).
            if stream.pointee.avail_in == 0 && fed < inputCount {
                let piece = min(inputCount - fed, 1 << 30)
                stream.pointee.next_in = start + fed
                stream.pointee.avail_in = UInt32(piece)
                fed += piece
            }
            let wanted = min(buffer.count - written, 1 << 30)
            stream.pointee.next_out = output + written
            stream.pointee.avail_out = UInt32(wanted)
            let result = inflate(stream, Z_NO_FLUSH)
            written += wanted - Int(stream.pointee.avail_out)

            switch result {
            case Z_OK:
                continue
            case Z_STREAM_END:
                finished = true
            case Z_BUF_ERROR:
                // No progress was possible: with all input consumed, the data ends mid-stream.
                if stream.pointee.avail_in == 0 && fed == inputCount { return written }
                throw .corrupt(reason: "zlib could not make progress")
            case Z_DATA_ERROR:
                throw .corrupt(reason: stream.pointee.msg.map { String(cString: $0) } ?? "invalid compressed data")
            case Z_NEED_DICT:
                throw .corrupt(reason: "the stream asks for a preset dictionary, which PNG does not allow")
            case Z_MEM_ERROR:
                throw .unavailable(code: result)
            default:
                throw .corrupt(reason: "zlib error \(result)")
            }
        }
        return written
    }
}
