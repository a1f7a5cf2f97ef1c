import Foundation
import Perceptron
import PerceptronData
import PerceptronReport
import Testing

@Suite("Augmentation grid")
struct AugmentationGridTests {
    static func variants(of images: LabeledImages, epochs: Int) -> [LabeledImages] {
        (1...epochs).map { epoch in
            var target = images
            Augmentation.standard.augment(images, epoch: epoch, generator: SplitMix64(seed: 1), into: &target)
            return target
        }
    }

    @Test("one row per example: the original, then one variant per epoch, with labelled columns and rows")
    func layout() throws {
        let images = testImages(count: 4)
        let variants = Self.variants(of: images, epochs: 3)
        let root = try checkedSVG(AugmentationGrid.svg(originals: images, variants: variants, augmentation: "rotation=10,shift=1"))
        #expect(root.elements(classed: "digit", "original").count == 4)
        #expect(root.elements(classed: "digit", "variant").count == 12)
        #expect(root.elements(classed: "column-label").map(\.text) == ["original", "epoch 1", "epoch 2", "epoch 3"])
        #expect(root.elements(classed: "row-label").map(\.text) == images.labels.map { "label \($0)" })
        #expect(root.elements(classed: "heading").first?.text == "Augmented training images")
        #expect(root.elements(classed: "augmentation").first?.text == "rotation=10,shift=1")
        #expect(root.children.first?.text.contains("rotation=10,shift=1") == true)
        // Row 2's tiles sit on one line, epochs left to right.
        let row = root.elements(classed: "digit").filter { $0.attributes["data-row"] == "2" }
        #expect(row.map { $0.attributes["data-epoch"] } == ["0", "1", "2", "3"])
        #expect(Set(row.map { $0.attributes["y"] }).count == 1)
        let xs = row.compactMap { $0.attributes["x"].flatMap(Double.init) }
        #expect(xs == xs.sorted() && Set(xs).count == 4)
    }

    @Test("each tile is its image's pixels as a PNG, ink dark on white")
    func pixels() throws {
        let images = testImages(count: 2)
        let variants = Self.variants(of: images, epochs: 2)
        let root = try checkedSVG(AugmentationGrid.svg(originals: images, variants: variants, augmentation: "standard"))
        for tile in root.elements(classed: "digit") {
            let row = try #require(tile.attributes["data-row"].flatMap(Int.init))
            let epoch = try #require(tile.attributes["data-epoch"].flatMap(Int.init))
            let href = try #require(tile.attributes["xlink:href"])
            let png = try #require(Data(base64Encoded: String(href.dropFirst("data:image/png;base64,".count))))
            let decoded = try DecodedPNG(Array(png))
            let shown = epoch == 0 ? images : variants[epoch - 1]
            #expect(decoded.width == 28 && decoded.height == 28)
            #expect(decoded.samples == shown.pixels(of: row).map { 255 - $0 })
        }
    }

    @Test("with no variants the originals stand alone; with no images the figure says so")
    func edges() throws {
        let images = testImages(count: 3)
        let alone = try checkedSVG(AugmentationGrid.svg(originals: images, variants: [], augmentation: "none"))
        #expect(alone.elements(classed: "digit").count == 3)
        let empty = LabeledImages(images: [], labels: [], rows: 28, columns: 28)
        let nothing = try checkedSVG(AugmentationGrid.svg(originals: empty, variants: [empty], augmentation: "none"))
        #expect(nothing.elements(classed: "digit").isEmpty)
        #expect(nothing.elements(classed: "note").first?.text == "no images to show")
    }
}
