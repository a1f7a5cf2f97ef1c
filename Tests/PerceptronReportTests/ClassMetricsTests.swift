import Perceptron
import Testing

@Suite("Class metrics")
struct ClassMetricsTests {
    @Test("precision, recall, F1 and support of a hand-worked example")
    func handExample() {
        // counts: [[2, 1, 0], [0, 3, 1], [1, 0, 2]]
        let metrics = ClassMetrics.all(ConfusionMatrixTests.matrix)
        #expect(metrics.map(\.label) == [0, 1, 2])
        #expect(metrics.map(\.support) == [3, 4, 3])
        // class 0: TP 2, predicted 3 (2 + 0 + 1), actual 3 → P = R = F1 = 2/3
        #expect(abs(metrics[0].precision - 2.0 / 3) < 1e-12)
        #expect(abs(metrics[0].recall - 2.0 / 3) < 1e-12)
        #expect(abs(metrics[0].f1 - 2.0 / 3) < 1e-12)
        // class 1: TP 3, predicted 4 (1 + 3 + 0), actual 4 → P = R = 3/4
        #expect(abs(metrics[1].precision - 0.75) < 1e-12)
        #expect(abs(metrics[1].recall - 0.75) < 1e-12)
        // class 2: TP 2, predicted 3 (0 + 1 + 2), actual 3
        #expect(abs(metrics[2].precision - 2.0 / 3) < 1e-12)
        #expect(abs(metrics[2].recall - 2.0 / 3) < 1e-12)
    }

    @Test("F1 is the harmonic mean when precision and recall differ")
    func harmonicMean() {
        // class 0: TP 1, predicted 4, actual 2 → P = 1/4, R = 1/2, F1 = 2·(1/8)/(3/4) = 1/3
        let matrix = ConfusionMatrix(classes: 2, labels: [0, 0, 1, 1, 1], predictions: [0, 1, 0, 0, 0])
        let zero = ClassMetrics(label: 0, in: matrix)
        #expect(zero.precision == 0.25)
        #expect(zero.recall == 0.5)
        #expect(abs(zero.f1 - 1.0 / 3) < 1e-12)
        #expect(zero.support == 2)
    }

    @Test("a ratio with a zero denominator is 0: a class never predicted, a class with no images")
    func zeroOverZero() {
        // Class 2 has no images and is never predicted; class 1 is never predicted.
        let matrix = ConfusionMatrix(classes: 3, labels: [0, 0, 1], predictions: [0, 0, 0])
        let metrics = ClassMetrics.all(matrix)
        #expect(metrics[1] == ClassMetrics(label: 1, precision: 0, recall: 0, f1: 0, support: 1))
        #expect(metrics[2] == ClassMetrics(label: 2, precision: 0, recall: 0, f1: 0, support: 0))
        #expect(metrics.allSatisfy { $0.precision.isFinite && $0.recall.isFinite && $0.f1.isFinite })
    }

    @Test("the macro average is the plain mean over classes, with the summed support")
    func macroAverage() {
        let average = ClassMetrics.macroAverage([
            ClassMetrics(label: 0, precision: 1, recall: 0.5, f1: 0.75, support: 3),
            ClassMetrics(label: 1, precision: 0, recall: 0.5, f1: 0.25, support: 5),
        ])
        #expect(average == ClassMetrics(label: -1, precision: 0.5, recall: 0.5, f1: 0.5, support: 8))
        #expect(ClassMetrics.macroAverage([]).support == 0)
    }
}
