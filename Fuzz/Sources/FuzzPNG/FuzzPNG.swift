import FuzzSupport
import Perceptron
import PerceptronData

/// PNG, as `predict` reads it: `PNGDecoder.decode`, then the preprocessing into MNIST's form.
///
/// Random mutations almost always break a chunk's CRC, which the decoder checks first; so each
/// input is decoded as it is and again with every chunk's CRC recomputed, which lets mutations of
/// the header, palette and image data reach the code behind the check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    decode(bytes, label: "as-is")
    let fixed = withCRCsFixed(bytes)
    if fixed != bytes { decode(fixed, label: "crc-fixed") }
    return 0
}

private func decode(_ bytes: [UInt8], label: String) {
    FuzzInput.expectingErrors(label) {
        let image = try PNGDecoder.decode(bytes, path: "fuzz.png")
        precondition(image.pixels.count == image.width * image.height)
        _ = DigitPreprocessing.networkInput(from: image)
    }
}

/// `bytes` with the CRC of every complete chunk after the signature set to the right value.
func withCRCsFixed(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    var offset = 8
    while bytes.count - offset >= 12 {
        let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        let end = offset + 8 + length
        guard length <= 0x7FFF_FFFF, end + 4 <= bytes.count else { break }
        let crc = CRC32.checksum(bytes[(offset + 4)..<end])
        for i in 0..<4 { bytes[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
        offset = end + 4
    }
    return bytes
}
