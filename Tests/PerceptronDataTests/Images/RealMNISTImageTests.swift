import Foundation
import Testing
import PerceptronData

/// MNIST's test images, where `perceptron fetch` puts them; these tests are skipped without them.
private let testImagesURL = realMNISTDirectory.appendingPathComponent("t10k-images-idx3-ubyte")
private let testImagesArePresent = FileManager.default.fileExists(atPath: testImagesURL.path)

@Suite("Preprocessing real MNIST digits", .enabled(if: testImagesArePresent))
struct RealMNISTImageTests {
    @Test("real MNIST digits come out of preprocessing nearly unchanged")
    func unchanged() throws {
        let digits = try #require(mnistImages(testImagesURL, count: 1000))
        let correlations = digits.map { digit in
            correlation(DigitPreprocessing.mnistInput(from: GreyImage(width: 28, height: 28, bytes: digit)), digit)
        }
        let mean = correlations.reduce(0, +) / Double(correlations.count)
        #expect(mean > 0.98, "mean correlation \(mean)")
    }

    @Test("200 digits drawn black on white at 3× size off-centre in PNG files come back close to the originals")
    func drawnLargeInPNGs() throws {
        let digits = try #require(mnistImages(testImagesURL, first: 1000, count: 200))
        let directory = try TemporaryDirectory()
        var correlations: [Double] = []
        for (index, digit) in digits.enumerated() {
            let (width, height) = (200, 150)
            let left = 5 + (index * 37) % (width - 84 - 10)
            let top = 3 + (index * 23) % (height - 84 - 6)
            let canvas = drawDarkOnLight(digit, scale: 3, width: width, height: height, left: left, top: top)
            // Alternate greyscale and RGB files.
            let file = index.isMultiple(of: 2)
                ? PNGEncoder.encode(grey8: canvas, width: width, height: height)
                : PNGEncoder.encode(rgb8: canvas.flatMap { [$0, $0, $0] }, width: width, height: height)
            let url = try directory.write(file, to: "digit-\(index).png")
            let input = DigitPreprocessing.mnistInput(from: try ImageFile.read(url: url))
            correlations.append(correlation(input, digit))
        }
        let mean = correlations.reduce(0, +) / Double(correlations.count)
        #expect(mean > 0.9, "mean correlation \(mean), lowest \(correlations.min() ?? 0)")
    }
}
