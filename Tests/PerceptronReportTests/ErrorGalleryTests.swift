import Foundation
import Perceptron
import PerceptronReport
import Testing

@Suite("Error gallery")
struct ErrorGalleryTests {
    @Test("one captioned digit per misclassified image, up to the limit")
    func counts() throws {
        let images = testImages(count: 30)
        var predictions = images.labels
        for index in [2, 5, 7, 11, 29] { predictions[index] = (predictions[index] + 1) % 10 }
        #expect(ErrorGallery.misclassified(labels: images.labels, predictions: predictions) == [2, 5, 7, 11, 29])

        let all = try checkedSVG(ErrorGallery.svg(images: images, predictions: predictions))
        #expect(all.elements(classed: "digit").count == 5)
        #expect(all.elements(classed: "digit").map { $0.attributes["data-index"] } == ["2", "5", "7", "11", "29"])
        let captions = all.elements(classed: "caption").map(\.text)
        #expect(captions.first == "true \(images.labels[2]) → \(predictions[2])")
        #expect(captions.count == 5)

        let limited = try checkedSVG(ErrorGallery.svg(images: images, predictions: predictions, limit: 3))
        #expect(limited.elements(classed: "digit").count == 3)
        #expect(limited.elements(named: "text").first?.text == "Misclassified test images: 5 of 30 (the first 3)")
    }

    @Test("each digit is its pixels as a PNG, ink dark on white")
    func pixels() throws {
        let images = testImages(count: 1)
        let root = try checkedSVG(ErrorGallery.svg(images: images, predictions: [(images.labels[0] + 1) % 10]))
        let href = try #require(root.elements(classed: "digit").first?.attributes["xlink:href"])
        let base64 = String(href.dropFirst("data:image/png;base64,".count))
        let png = try #require(Data(base64Encoded: base64))
        let decoded = try DecodedPNG(Array(png))
        #expect(decoded.width == 28 && decoded.height == 28)
        #expect(decoded.samples == images.pixels(of: 0).map { 255 - $0 })
    }

    @Test("with no mistakes the gallery says so")
    func none() throws {
        let images = testImages(count: 10)
        let root = try checkedSVG(ErrorGallery.svg(images: images, predictions: images.labels))
        #expect(root.elements(classed: "digit").isEmpty)
        #expect(root.elements(named: "text").contains { $0.text.hasPrefix("none") })
    }
}
