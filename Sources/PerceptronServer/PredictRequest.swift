import Foundation
import PerceptronData

/// The body of `POST /api/predict`, checked: either 784 pixels ready for the network, or a PNG or
/// JPEG picture to bring into MNIST's form first.
///
/// ```
/// {"pixels": [784 numbers in 0…1]}         28 × 28, row-major, 0 background, 1 full ink: used as is
/// {"image": "<base64 PNG or JPEG>"}        a PNG at most 2048 a side, a JPEG of any size (decoded at
///                                          reduced scale, turned upright); "data:image/…;base64," allowed
/// ```
/// Anything else is a `PredictRequestError` saying what was wrong (the server's 400).
enum PredictRequest: Equatable {
    case pixels([Float])
    case image(GreyImage)

    /// The number of pixels of a digit: 28 × 28 = 784 (`DigitReader.inputSize`).
    static let pixelCount = 784

    /// The longest side accepted for an uploaded PNG. The page scales uploads to at most 1024.
    static let maximumImageSide = 2048

    static let usage = #"expected {"pixels": [784 numbers in 0…1]} or {"image": "<base64 PNG or JPEG>"}"#

    /// Parses and checks a request body (see `PredictBodyReader` for the JSON).
    static func parse(_ body: [UInt8]) throws(PredictRequestError) -> PredictRequest {
        let read = try PredictBodyReader.read(body)
        switch (read.pixels, read.image) {
        case (.some, .some):
            throw PredictRequestError(#"give either "pixels" or "image", not both"#)
        case (nil, nil):
            throw PredictRequestError("neither \"pixels\" nor \"image\" is there: \(usage)")
        case (let pixels?, nil):
            guard read.pixelCount == pixelCount else {
                throw PredictRequestError("\"pixels\" has \(read.pixelCount) value\(read.pixelCount == 1 ? "" : "s"): expected \(pixelCount) (28×28, row by row)")
            }
            return .pixels(pixels)
        case (nil, let image?):
            return .image(try decodeImage(String(decoding: image, as: UTF8.self)))
        }
    }

    /// The PNG or JPEG in a base64 string (a `data:…;base64,` prefix allowed), decoded; a JPEG at
    /// reduced scale and upright, as `perceptron predict` reads it.
    static func decodeImage(_ text: String) throws(PredictRequestError) -> GreyImage {
        var base64 = Substring(text)
        if base64.hasPrefix("data:") {
            guard let comma = base64.firstIndex(of: ","), base64[..<comma].hasSuffix(";base64") else {
                throw PredictRequestError(#""image" is a data URL that is not base64: expected "data:image/png;base64,…""#)
            }
            base64 = base64[base64.index(after: comma)...]
        }
        guard !base64.isEmpty else { throw PredictRequestError(#""image" is empty: expected a base64 PNG or JPEG"#) }
        guard let data = Data(base64Encoded: String(base64)) else {
            throw PredictRequestError(#""image" is not valid base64"#)
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: JPEGDecoder.signature) {
            do {
                return try JPEGDecoder.decode(bytes, path: "image", scaledDownTo: DigitPreprocessing.workingSide)
            } catch {
                throw PredictRequestError("\(error)")
            }
        }
        guard bytes.starts(with: PNGDecoder.signature) else {
            let start = bytes.prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
            throw PredictRequestError("\"image\" is not a PNG or JPEG: it starts with \(start), not the PNG signature 89 50 4e 47 0d 0a 1a 0a nor a JPEG's ff d8 ff")
        }
        // The size is in IHDR at bytes 16…23; refuse a huge image before decoding allocates for it.
        if bytes.count >= 24 {
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
            guard width <= maximumImageSide, height <= maximumImageSide else {
                throw PredictRequestError("\"image\" is \(width)×\(height) pixels: at most \(maximumImageSide)×\(maximumImageSide) accepted")
            }
        }
        do {
            return try PNGDecoder.decode(bytes, path: "image")
        } catch {
            throw PredictRequestError("\(error)")
        }
    }
}
