import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Perceptron
import PerceptronRun
@testable import PerceptronData
import PerceptronReport
import Testing

// MARK: - Reading XML back

/// An element of a parsed XML document.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and all below it, in document order.
    var all: [XMLNode] { [self] + children.flatMap(\.all) }

    /// The elements, this one included, whose `class` attribute holds every one of `classes`.
    func elements(classed classes: String...) -> [XMLNode] {
        all.filter { node in
            let tokens = Set((node.attributes["class"] ?? "").split(separator: " ").map(String.init))
            return classes.allSatisfy(tokens.contains)
        }
    }

    /// The elements named `name`, this one included.
    func elements(named name: String) -> [XMLNode] { all.filter { $0.name == name } }
}

/// Parses `text` with Foundation's `XMLParser`; nil when it is not well-formed XML.
func parseXML(_ text: String) -> XMLNode? {
    final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var root: XMLNode?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = XMLNode(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
    let builder = Builder()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = builder
    guard parser.parse(), builder.stack.isEmpty else { return nil }
    return builder.root
}

/// Parses `text` as a standalone SVG document and checks what every figure must be: well-formed,
/// an `<svg>` root in the SVG namespace with a `viewBox` and a non-empty `<title>` as its first
/// child, no `NaN`/`inf` anywhere, and no reference to another file. Returns the root.
func checkedSVG(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLNode {
    let root = try #require(parseXML(text), "not well-formed XML", sourceLocation: sourceLocation)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), sourceLocation: sourceLocation)
    #expect(root.name == "svg", sourceLocation: sourceLocation)
    #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg", sourceLocation: sourceLocation)
    #expect(root.attributes["version"] == "1.1", sourceLocation: sourceLocation)
    let viewBox = (root.attributes["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
    #expect(viewBox.count == 4 && viewBox[2] > 0 && viewBox[3] > 0, "viewBox \(viewBox)", sourceLocation: sourceLocation)
    #expect(root.children.first?.name == "title", sourceLocation: sourceLocation)
    #expect(!(root.children.first?.text.isEmpty ?? true), sourceLocation: sourceLocation)
    #expect(root.attributes["font-family"]?.hasSuffix("sans-serif") == true, sourceLocation: sourceLocation)
    for word in ["NaN", "nan", "inf"] {
        let found = root.all.contains { node in node.attributes.values.contains { $0.contains(word) && !$0.hasPrefix("data:") } }
        #expect(!found, "an attribute contains \(word)", sourceLocation: sourceLocation)
    }
    let references = root.all.compactMap { $0.attributes["xlink:href"] ?? $0.attributes["href"] }
    #expect(references.allSatisfy { $0.hasPrefix("data:") }, "external reference", sourceLocation: sourceLocation)
    return root
}

// MARK: - Fixtures

/// A plausible history: the untrained network at epoch 0 (loss ≈ ln 10), then falling losses.
func plausibleHistory(epochs: Int) -> [EpochRecord] {
    (0...epochs).map { epoch in
        let t = Double(epoch)
        return EpochRecord(epoch: epoch, trainLoss: epoch == 0 ? 2.31 : 0.05 + 0.4 / t, valLoss: epoch == 0 ? 2.30 : 0.08 + 0.3 / t,
                           valAccuracy: epoch == 0 ? 0.098 : 0.99 - 0.08 / t, trainSeconds: epoch == 0 ? 0 : 3.2,
                           evalSeconds: 0.21)
    }
}

/// Metrics of a finished run with `history`.
func plausibleMetrics(history: [EpochRecord], sizes: [Int] = [784, 16, 10]) -> RunMetrics {
    var config = RunMetrics.Configuration()
    config.data = "data/mnist"
    config.hidden = Array(sizes.dropFirst().dropLast())
    config.epochs = max(history.count - 1, 0)
    config.seed = 7
    config.threads = 2
    config.out = #"runs/<test & "report">"#
    var metrics = RunMetrics(config: config, architecture: sizes.map(String.init).joined(separator: "-"),
                             parameters: zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 },
                             backend: "oneDNN (test)")
    metrics.history = history
    let best = history.filter { $0.valLoss.isFinite }.min { $0.valLoss < $1.valLoss }
    metrics.bestEpoch = best?.epoch ?? 0
    metrics.bestValidationLoss = best?.valLoss ?? .nan
    metrics.testLoss = 0.12
    metrics.testAccuracy = 0.9634
    metrics.test10kAccuracy = 0.9641
    metrics.trainSeconds = history.reduce(0) { $0 + $1.trainSeconds }
    metrics.outcome = "completed"
    return metrics
}

/// The package's root folder.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The first `count` MNIST test images from `data/mnist` when the files are there, else as many
/// synthetic 28 × 28 images (a bar whose angle depends on the label).
func testImages(count: Int) -> LabeledImages {
    let folder = packageRoot.appendingPathComponent("data/mnist")
    if let images = try? Data(contentsOf: folder.appendingPathComponent("t10k-images-idx3-ubyte")),
       let labels = try? Data(contentsOf: folder.appendingPathComponent("t10k-labels-idx1-ubyte")),
       images.count >= 16 + count * 784, labels.count >= 8 + count {
        return LabeledImages(images: Array(images[16 ..< 16 + count * 784]), labels: Array(labels[8 ..< 8 + count]),
                             rows: 28, columns: 28)
    }
    var pixels: [UInt8] = []
    var labels: [UInt8] = []
    for n in 0..<count {
        let label = n % 10
        let angle = Double(label) * .pi / 10
        var image = [UInt8](repeating: 0, count: 784)
        for step in -10...10 {
            let x = 14 + Int((Double(step) * cos(angle)).rounded()), y = 14 + Int((Double(step) * sin(angle)).rounded())
            image[y * 28 + x] = 255
        }
        pixels += image
        labels.append(UInt8(label))
    }
    return LabeledImages(images: pixels, labels: labels, rows: 28, columns: 28)
}

// MARK: - Reading PNGs back

/// An 8-bit PNG of a figure read back with PerceptronData's decoder: its size, its palette (PLTE)
/// and its samples, one byte per pixel, after checking that every scanline has filter type 0 (None),
/// as `PNGEncoder` writes them.
struct DecodedPNG {
    struct Invalid: Error { let reason: String }

    let width: Int
    let height: Int
    let palette: [UInt8]?
    let samples: [UInt8]

    init(_ png: [UInt8]) throws {
        let contents = try PNGDecoder.chunks(of: png, path: "figure.png")
        guard contents.header.bitDepth == 8, let rowBytes = contents.header.scanlineBytes else { throw Invalid(reason: "not 8-bit") }
        (width, height, palette) = (contents.header.width, contents.header.height, contents.palette)
        var scanlines = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        let inflater = try ZlibInflater(contents.imageData)
        let count = try scanlines.withUnsafeMutableBufferPointer { try inflater.read(into: $0) }
        guard count == scanlines.count, inflater.finished else { throw Invalid(reason: "\(count) bytes of image data") }
        var samples: [UInt8] = []
        for row in 0..<height {
            let start = row * (rowBytes + 1)
            guard scanlines[start] == 0 else { throw Invalid(reason: "filter type \(scanlines[start])") }
            samples += scanlines[start + 1 ... start + rowBytes]
        }
        self.samples = samples
    }
}
