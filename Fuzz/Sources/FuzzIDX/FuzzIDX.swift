import FuzzSupport
import Perceptron
import PerceptronData

/// IDX image and label files, raw or gzip-compressed: the readers `train`/`evaluate` use
/// (`IDXReader`, after `Gzip.decompress`) and the one `predict` uses (`ImageFile.decodeAll`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = FuzzInput.bytes(start, count)
    var bytes = input
    if Gzip.isCompressed(input) {
        do {
            bytes = try Gzip.decompress(input)
        } catch {
            if FuzzInput.printErrors { FuzzInput.expectingErrors("gzip") { throw error } }
            return 0
        }
    }
    var images: IDXImages?
    var labels: [UInt8]?
    FuzzInput.expectingErrors("images") { images = try IDXReader.readImages(from: bytes, file: "fuzz") }
    FuzzInput.expectingErrors("labels") { labels = try IDXReader.readLabels(from: bytes, file: "fuzz") }
    if let images {
        // Pair the images with as many labels as they claim (the first `count` of a 0...9 cycle).
        let cycle = (0..<images.count).map { UInt8($0 % 10) }
        FuzzInput.expectingErrors("combine") { _ = try IDXReader.combine(images, imagesFile: "fuzz", cycle, labelsFile: "labels") }
    }
    if let labels { _ = labels.count }
    FuzzInput.expectingErrors("image-file") { _ = try ImageFile.decodeAll(input, path: "fuzz") }
    return 0
}
