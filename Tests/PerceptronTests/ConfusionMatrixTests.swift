import Perceptron
import Testing

@Suite("Confusion matrix and per-class metrics")
struct ConfusionMatrixTests {
    // labels      0 0 0 0 1 1 1 2 2 2
    // predictions 0 0 0 1 1 1 2 2 0 0
    static let confusion = ConfusionMatrix(classes: 3, labels: [0, 0, 0, 0, 1, 1, 1, 2, 2, 2],
                                           predictions: [0, 0, 0, 1, 1, 1, 2, 2, 0, 0])

    @Test("counts[actual][predicted], with totals, correct count and accuracy")
    func counts() {
        let m = Self.confusion
        #expect(m.counts == [[3, 1, 0], [0, 2, 1], [2, 0, 1]])
        #expect(m.total == 10)
        #expect(m.correct == 6)
        #expect(m.accuracy == 0.6)
        #expect((0..<3).map(m.actualCount(of:)) == [4, 3, 3])
        #expect((0..<3).map(m.predictedCount(of:)) == [5, 3, 2])
        #expect(ConfusionMatrix(classes: 2, labels: [], predictions: []).accuracy == 0)
    }

    @Test("the most confused pairs: most frequent first, ties by actual then predicted, no zeros")
    func mostConfused() {
        let pairs = Self.confusion.mostConfused(10).map { [$0.actual, $0.predicted, $0.count] }
        #expect(pairs == [[2, 0, 2], [0, 1, 1], [1, 2, 1]])
        #expect(Self.confusion.mostConfused(1).map(\.count) == [2])
        #expect(Self.confusion.mostConfused(0).isEmpty)
        #expect(Self.confusion.mostConfused(-1).isEmpty)
    }

    @Test("precision, recall, F1 and support by hand")
    func classMetrics() {
        let all = ClassMetrics.all(Self.confusion)
        // Class 0: TP 3, predicted 5, actual 4.   Class 2: TP 1, predicted 2, actual 3.
        #expect(all[0].precision == 3.0 / 5 && all[0].recall == 3.0 / 4 && all[0].support == 4)
        #expect(isClose(all[0].f1, 2 * 0.6 * 0.75 / 1.35, relative: 1e-15))
        #expect(all[1].precision == 2.0 / 3 && all[1].recall == 2.0 / 3)
        let (p2, r2): (Double, Double) = (0.5, 1.0 / 3)
        #expect(isClose(all[2].f1, 2 * p2 * r2 / (p2 + r2), relative: 1e-15))
        #expect(all.map(\.label) == [0, 1, 2])
        let macro = ClassMetrics.macroAverage(all)
        #expect(macro.label == -1 && macro.support == 10)
        let recalls: [Double] = [0.75, 2.0 / 3, 1.0 / 3]
        #expect(isClose(macro.recall, recalls.reduce(0, +) / 3, relative: 1e-15))
    }

    @Test("empty denominators give 0, never NaN")
    func zeroDenominators() {
        // Class 2 has no images and is never predicted; class 1 is never predicted.
        let m = ConfusionMatrix(classes: 3, labels: [0, 1], predictions: [0, 0])
        let all = ClassMetrics.all(m)
        #expect(all[1] == ClassMetrics(label: 1, precision: 0, recall: 0, f1: 0, support: 1))
        #expect(all[2] == ClassMetrics(label: 2, precision: 0, recall: 0, f1: 0, support: 0))
        #expect(all.allSatisfy { [$0.precision, $0.recall, $0.f1].allSatisfy { $0.isFinite } })
        #expect(ClassMetrics.macroAverage([]) == ClassMetrics(label: -1, precision: 0, recall: 0, f1: 0, support: 0))
    }

    @Test("the terminal table: aligned rows and columns with totals")
    func table() {
        let expected = """
            true\\pred      0      1      2  total
                    0      3      1      0      4
                    1      0      2      1      3
                    2      2      0      1      3
                total      5      3      2     10
            """
        #expect(Self.confusion.table == expected)
        #expect(Set(Self.confusion.table.split(separator: "\n").map(\.count)).count == 1)
    }
}
