import Foundation
import FuzzSupport
import PerceptronData

/// The body of the server's `POST /api/predict`, as the server reads it: `PredictRequest.parse`
/// (the JSON reader `PredictBodyReader`, then base64 and the PNG or JPEG decoder for an `"image"`), then the
/// preprocessing of an image into MNIST's form. The reader's three files are the server's own,
/// linked here (it is internal to `PerceptronServer`, whose Hummingbird this package never builds).
///
/// Beyond not crashing, what the reader accepts must be JSON to Foundation too, with the same
/// pixels: a strict reader accepts nothing a standard one would refuse, and reads the numbers it
/// accepts as they are.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    FuzzInput.expectingErrors("body") {
        let request = try PredictRequest.parse(bytes)
        let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        precondition(object != nil, "the reader accepted a body that Foundation does not read as a JSON object")
        switch request {
        case .pixels(let pixels):
            precondition(pixels.count == PredictRequest.pixelCount && pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            let theirs = (object?["pixels"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue }
            precondition(theirs?.count == pixels.count, "Foundation reads another pixels array")
            for (ours, foundation) in zip(pixels, theirs ?? []) {
                precondition(abs(Double(ours) - foundation) <= 1e-6, "pixel \(ours) is \(foundation) to Foundation")
            }
        case .image(let image):
            precondition(object?["image"] is String, "Foundation reads no image string")
            precondition(image.pixels.count == image.width * image.height)
            // A PNG is refused beyond `maximumImageSide`; a JPEG of any size is decoded at reduced
            // scale, which keeps it within `GreyImage.maximumSide`.
            let decodedJPEG = Data(base64Encoded: String(((object?["image"] as? String) ?? "").split(separator: ",").last ?? ""))
                .map { [UInt8]($0).starts(with: JPEGDecoder.signature) } ?? false
            let side = decodedJPEG ? GreyImage.maximumSide : PredictRequest.maximumImageSide
            precondition(image.width <= side && image.height <= side)
            _ = DigitPreprocessing.networkInput(from: image)
        }
    }
    return 0
}
