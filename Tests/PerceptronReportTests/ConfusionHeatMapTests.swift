import Perceptron
import PerceptronReport
import Testing

@Suite("Confusion heat map")
struct ConfusionHeatMapTests {
    static let labels: [UInt8] = (0..<200).map { UInt8($0 % 10) }
    /// Every seventh image is taken for the class three above its own.
    static let predictions: [UInt8] = (0..<200).map { (n: Int) -> UInt8 in
        let label = n % 10
        return UInt8(n % 7 == 0 ? (label + 3) % 10 : label)
    }
    static let matrix = ConfusionMatrix(classes: 10, labels: labels, predictions: predictions)

    @Test("one cell per pair of classes, ten on the diagonal, each with its count written in it")
    func cells() throws {
        let root = try checkedSVG(ConfusionHeatMap.svg(Self.matrix))
        #expect(root.elements(classed: "cell").count == 100)
        #expect(root.elements(classed: "cell", "diagonal").count == 10)
        let counts = root.elements(classed: "count").map { Int($0.text) ?? -1 }
        #expect(counts == Self.matrix.counts.flatMap { $0 })
        #expect(counts.reduce(0, +) == 200)
    }

    @Test("the axes are labelled true and predicted")
    func axisLabels() throws {
        let root = try checkedSVG(ConfusionHeatMap.svg(Self.matrix))
        #expect(Set(root.elements(classed: "axis-label").map(\.text)) == ["true", "predicted"])
    }

    @Test("colour follows the share of the row: a full diagonal cell is darker than a sparse one, an empty cell white")
    func colours() throws {
        let matrix = ConfusionMatrix(classes: 2, labels: [0, 0, 0, 0, 1, 1], predictions: [0, 0, 0, 0, 1, 0])
        let cells = try checkedSVG(ConfusionHeatMap.svg(matrix)).elements(classed: "cell")
        #expect(cells[0].attributes["fill"] == Colour.correct.hex)            // 4 of 4
        #expect(cells[1].attributes["fill"] == "#ffffff")                      // 0 of 4
        #expect(cells[3].attributes["fill"] == Colour.white.mixed(with: .correct, 0.5).hex)  // 1 of 2
        #expect(cells[2].attributes["fill"] == Colour.white.mixed(with: .mistake, 0.5.squareRoot()).hex)
    }

    @Test("rows with no images (a share of 0/0) are white, not NaN")
    func emptyRows() throws {
        let matrix = ConfusionMatrix(classes: 10, labels: [3], predictions: [5])
        let root = try checkedSVG(ConfusionHeatMap.svg(matrix))
        #expect(root.elements(classed: "cell").filter { $0.attributes["fill"] == "#ffffff" }.count == 99)
    }
}
