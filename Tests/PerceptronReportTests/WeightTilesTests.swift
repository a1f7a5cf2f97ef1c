import Foundation
import Perceptron
import PerceptronReport
import Testing

@Suite("Weight tiles")
struct WeightTilesTests {
    @Test("one tile per hidden unit, up to the limit")
    func tiles() throws {
        var generator = SplitMix64(seed: 5)
        let small = Network<Float>(sizes: [784, 16, 10], hiddenActivation: .relu, using: &generator)
        #expect(try checkedSVG(WeightTiles.svg(weight: small.layers[0].weight)).elements(classed: "tile").count == 16)
        let large = Network<Float>(sizes: [784, 130, 10], hiddenActivation: .relu, using: &generator)
        let root = try checkedSVG(WeightTiles.svg(weight: large.layers[0].weight))
        #expect(root.elements(classed: "tile").count == 100)
        #expect(root.elements(named: "text").first?.text == "First-layer weights: hidden units 0–99 of 130")
        #expect(try checkedSVG(WeightTiles.svg(weight: large.layers[0].weight, limit: 7)).elements(classed: "tile").count == 7)
    }

    @Test("a tile shows its row of weights in the diverging map, scaled by the row's largest |w|")
    func colours() throws {
        // Two units of 2 × 2 inputs; the second is ten times the first, so their tiles are equal.
        let weight = Matrix<Double>([[-1, 0, 0.5, 1], [-10, 0, 5, 10]])
        let root = try checkedSVG(WeightTiles.svg(weight: weight))
        let tiles = try root.elements(classed: "tile").map { tile in
            let href = try #require(tile.attributes["xlink:href"])
            return try DecodedPNG(Array(try #require(Data(base64Encoded: String(href.dropFirst(22))))))
        }
        #expect(tiles.count == 2)
        #expect(tiles[0].samples == tiles[1].samples)
        let palette = try #require(tiles[0].palette)
        func colour(_ index: UInt8) -> [UInt8] { Array(palette[Int(index) * 3 ..< Int(index) * 3 + 3]) }
        #expect(colour(tiles[0].samples[0]) == [Colour.negative.red, Colour.negative.green, Colour.negative.blue])
        #expect(colour(tiles[0].samples[1]) == [255, 255, 255])
        #expect(colour(tiles[0].samples[3]) == [Colour.positive.red, Colour.positive.green, Colour.positive.blue])
        #expect(colour(tiles[0].samples[2]) == {
            let half = Colour.diverging(0.5)
            return [half.red, half.green, half.blue]
        }())
    }

    @Test("an input size that is not a square gives a note, not tiles")
    func notSquare() throws {
        let root = try checkedSVG(WeightTiles.svg(weight: Matrix<Float>(rows: 4, columns: 10)))
        #expect(root.elements(classed: "tile").isEmpty)
        #expect(root.elements(classed: "note").first?.text == "no tiles: 10 inputs do not form a square image")
        #expect(WeightTiles.side(of: 784) == 28)
        #expect(WeightTiles.side(of: 785) == nil)
    }

    @Test("all-zero and non-finite weights draw white, not NaN")
    func degenerate() throws {
        let weight = Matrix<Float>([[0, 0, 0, 0], [.nan, .infinity, 1, -1]])
        let root = try checkedSVG(WeightTiles.svg(weight: weight))
        #expect(root.elements(classed: "tile").count == 2)
        #expect(root.elements(classed: "tile")[1].attributes["data-max-abs"] == "1.0")
    }
}
