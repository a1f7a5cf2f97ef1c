import Perceptron
import Testing

@Suite("Confusion matrix")
struct ConfusionMatrixTests {
    // Three classes, ten images:
    //               predicted
    //               0  1  2
    //   true 0      2  1  0
    //        1      0  3  1
    //        2      1  0  2
    static let labels: [UInt8] = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
    static let predictions: [UInt8] = [0, 0, 1, 1, 1, 1, 2, 0, 2, 2]
    static let matrix = ConfusionMatrix(classes: 3, labels: labels, predictions: predictions)

    @Test("counts[true][predicted] counts each pair of label and prediction")
    func counts() {
        #expect(Self.matrix.counts == [[2, 1, 0], [0, 3, 1], [1, 0, 2]])
        #expect(Self.matrix.classes == 3)
    }

    @Test("the counts sum to the number of images, the diagonal to the correct ones")
    func totals() {
        #expect(Self.matrix.total == 10)
        #expect(Self.matrix.correct == 7)
        #expect(Self.matrix.accuracy == 0.7)
        #expect((0..<3).map(Self.matrix.actualCount(of:)) == [3, 4, 3])
        #expect((0..<3).map(Self.matrix.predictedCount(of:)) == [3, 4, 3])
    }

    @Test("the counts of a real evaluation sum to the split's size")
    func realEvaluation() {
        var generator = SplitMix64(seed: 3)
        let network = Network<Float>(sizes: [784, 8, 10], hiddenActivation: .relu, using: &generator)
        let test = testImages(count: 250)
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(network, on: test)
        let matrix = ConfusionMatrix(classes: 10, labels: evaluation.labels, predictions: evaluation.predictions)
        #expect(matrix.total == test.count)
        #expect(matrix.counts.map { $0.reduce(0, +) } == (0..<10).map { label in test.labels.filter { $0 == label }.count })
        #expect(abs(matrix.accuracy - evaluation.accuracy) < 1e-12)
    }

    @Test("an empty matrix has accuracy 0, not NaN")
    func empty() {
        let matrix = ConfusionMatrix(classes: 10, labels: [], predictions: [])
        #expect(matrix.total == 0)
        #expect(matrix.accuracy == 0)
        #expect(matrix.mostConfused(3).isEmpty)
    }

    @Test("mostConfused lists the largest off-diagonal cells, largest first, ties in order of true then predicted class")
    func mostConfused() {
        let matrix = ConfusionMatrix(classes: 3, labels: [0, 0, 0, 1, 1, 2, 2, 2, 2], predictions: [1, 1, 0, 0, 2, 0, 0, 0, 2])
        // counts: [[1, 2, 0], [1, 0, 1], [3, 0, 1]]
        let top = matrix.mostConfused(3)
        #expect(top.map(\.actual) == [2, 0, 1])
        #expect(top.map(\.predicted) == [0, 1, 0])
        #expect(top.map(\.count) == [3, 2, 1])
        #expect(matrix.mostConfused(10).count == 4)  // only the cells above zero off the diagonal
        #expect(matrix.mostConfused(0).isEmpty)
    }

    @Test("the terminal table has a header, one row per true class and a totals row, all equally long and right-aligned")
    func table() {
        let expected = """
            true\\pred      0      1      2  total
                    0      2      1      0      3
                    1      0      3      1      4
                    2      1      0      2      3
                total      3      4      3     10
            """
        #expect(Self.matrix.table == expected)
    }

    @Test("the table's columns widen to fit the largest count")
    func wideTable() {
        let labels = [UInt8](repeating: 1, count: 123_456) + [0]
        let matrix = ConfusionMatrix(classes: 2, labels: labels, predictions: labels)
        let lines = matrix.table.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(Set(lines.map(\.count)).count == 1)
        #expect(lines[2] == "        1       0  123456  123456")
        #expect(lines[3] == "    total       1  123456  123457")
    }
}
