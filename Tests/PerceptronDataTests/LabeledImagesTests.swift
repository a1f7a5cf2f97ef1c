import Testing
import Perceptron
import PerceptronData

@Suite("Labeled images")
struct LabeledImagesTests {
    /// Three 1×2 images: [10, 11], [20, 21], [30, 31] labelled 1, 2, 3.
    let set = LabeledImages(images: [10, 11, 20, 21, 30, 31], labels: [1, 2, 3], rows: 1, columns: 2)

    @Test("count and pixels per image follow from the sizes")
    func sizes() {
        #expect(set.count == 3)
        #expect(set.pixelsPerImage == 2)
        #expect(Array(set.pixels(of: 1)) == [20, 21])
    }

    @Test("subset picks images and labels in the order given, repeats allowed")
    func subset() {
        let picked = set.subset([2, 0, 2])
        #expect(picked == LabeledImages(images: [30, 31, 10, 11, 30, 31], labels: [3, 1, 3], rows: 1, columns: 2))
    }

    @Test("subset of a range and of nothing")
    func subsetRanges() {
        #expect(set.subset(1..<3) == LabeledImages(images: [20, 21, 30, 31], labels: [2, 3], rows: 1, columns: 2))
        #expect(set.subset([]).count == 0)
        #expect(set.subset([]).rows == 1)
    }
}
