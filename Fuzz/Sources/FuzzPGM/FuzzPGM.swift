import FuzzSupport
import Perceptron
import PerceptronData

/// PGM (P2 and P5), as `predict` reads it: `PGMReader.decode`, then the preprocessing into MNIST's form.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    FuzzInput.expectingErrors("pgm") {
        let image = try PGMReader.decode(bytes, path: "fuzz.pgm")
        precondition(image.pixels.count == image.width * image.height)
        _ = DigitPreprocessing.networkInput(from: image)
    }
    return 0
}
