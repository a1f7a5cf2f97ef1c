import FuzzSupport
import Perceptron
import PerceptronData

/// JPEG, as `predict` and the server read it: the EXIF orientation, `JPEGDecoder.decode` at reduced
/// scale (`predict`'s 1024, and 16, which takes libjpeg-turbo's 1/8 path on anything larger than
/// 128 pixels) and, for headers of at most a million pixels, whole; then the preprocessing into
/// MNIST's form. libjpeg-turbo itself runs under the sanitizers when Fuzz/run.sh builds it from
/// source (FUZZ_LIBJPEG_TURBO), else the system's uninstrumented library is used.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    _ = EXIFOrientation.find(in: bytes)
    for side in [1024, 16] {
        decode(bytes, side: side, label: "scaled-\(side)")
    }
    if let header = try? JPEGDecoder.header(of: bytes, path: "fuzz.jpg"), header.width * header.height <= 1_000_000 {
        decode(bytes, side: nil, label: "whole")
    }
    return 0
}

private func decode(_ bytes: [UInt8], side: Int?, label: String) {
    FuzzInput.expectingErrors(label) {
        let image = try JPEGDecoder.decode(bytes, path: "fuzz.jpg", scaledDownTo: side)
        precondition(image.pixels.count == image.width * image.height)
        precondition(image.width <= GreyImage.maximumSide && image.height <= GreyImage.maximumSide)
        _ = DigitPreprocessing.networkInput(from: image)
    }
}
