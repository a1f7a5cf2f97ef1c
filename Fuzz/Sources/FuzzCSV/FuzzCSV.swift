import FuzzSupport
import Perceptron
import PerceptronData

/// MNIST as CSV (`label,p1,…`), as `MNISTFetcher` reads it through `CSVReader.read`: gzip data is
/// decompressed first. The same bytes are parsed as 28×28 images (the real use) and as 2×2 and
/// 1×3 images, so that short inputs reach complete lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var bytes = FuzzInput.bytes(start, count)
    if Gzip.isCompressed(bytes) {
        do {
            bytes = try Gzip.decompress(bytes)
        } catch {
            if FuzzInput.printErrors { FuzzInput.expectingErrors("gzip") { throw error } }
            return 0
        }
    }
    for (rows, columns) in [(28, 28), (2, 2), (1, 3)] {
        FuzzInput.expectingErrors("\(rows)x\(columns)") {
            let set = try CSVReader.parse(bytes, file: "fuzz", rows: rows, columns: columns)
            precondition(set.images.count == set.count * rows * columns)
        }
    }
    return 0
}
