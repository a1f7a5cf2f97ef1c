import Foundation
import Perceptron
import Testing

@Suite("Evaluator")
struct EvaluatorTests {
    /// 23 images: not a multiple of the evaluator's batch size of 5.
    static let data = quadrantImages(count: 23, seed: 301)
    static let network: Network<Double> = randomNetwork(sizes: [16, 6, 3], hidden: .tanh, seed: 309)  // predicts all three classes, 61 % right

    /// The logits of every image at once, without batches.
    static func allLogits<S: NetworkScalar>(_ network: Network<S>) -> Matrix<S> {
        network.logits(inputMatrix(data))
    }

    static func argmax<S: NetworkScalar>(_ logits: Matrix<S>, row: Int) -> UInt8 {
        var best = 0
        for j in 0..<logits.columns where logits[row, j] > logits[row, best] { best = j }
        return UInt8(best)
    }

    @Test("accuracy and mean loss agree with SoftmaxCrossEntropy over the whole set, in batches of 5")
    func agreesWithLoss() {
        var evaluator = Evaluator<Double>(batchSize: 5)
        let evaluation = evaluator.evaluate(Self.network, on: Self.data)
        let expected = SoftmaxCrossEntropy.loss(logits: Self.allLogits(Self.network), labels: Self.data.labels)
        #expect(evaluation.count == 23)
        #expect(isClose(evaluation.loss, expected.lossSum / 23, relative: 1e-12))
        #expect(evaluation.accuracy == Double(expected.correct) / 23)
        #expect(evaluation.loss > 0)
        #expect(evaluation.labels == Self.data.labels)
    }

    @Test("predictions are the argmax of each image's logits, in order")
    func predictionsAreArgmax() {
        var evaluator = Evaluator<Double>(batchSize: 5)
        let evaluation = evaluator.evaluate(Self.network, on: Self.data)
        let logits = Self.allLogits(Self.network)
        #expect(evaluation.predictions == (0..<23).map { Self.argmax(logits, row: $0) })
        #expect(Set(evaluation.predictions).count == 3, "a network that predicts one class cannot show the order")
        #expect(evaluation.accuracy > 0 && evaluation.accuracy < 1)
        let correct = zip(evaluation.predictions, evaluation.labels).filter { $0 == $1 }.count
        #expect(evaluation.accuracy == Double(correct) / 23)
    }

    @Test("the batch size does not change the result", arguments: [1, 4, 5, 22, 23, 1000])
    func batchSizeDoesNotMatter(batchSize: Int) {
        var reference = Evaluator<Double>(batchSize: 23)
        let expected = reference.evaluate(Self.network, on: Self.data)
        var evaluator = Evaluator<Double>(batchSize: batchSize)
        let evaluation = evaluator.evaluate(Self.network, on: Self.data)
        #expect(evaluation.predictions == expected.predictions)
        #expect(evaluation.accuracy == expected.accuracy)
        #expect(isClose(evaluation.loss, expected.loss, relative: 1e-12))
    }

    @Test("in Float (oneDNN) it agrees with Double")
    func floatAgrees() {
        var evaluator = Evaluator<Float>(batchSize: 5)
        let evaluation = evaluator.evaluate(Self.network.converted(), on: Self.data)
        var reference = Evaluator<Double>(batchSize: 5)
        let expected = reference.evaluate(Self.network, on: Self.data)
        #expect(isClose(evaluation.loss, expected.loss, relative: 1e-5))
        #expect(evaluation.predictions == expected.predictions)
    }

    @Test("one evaluator serves data sets of different sizes, and gives the same answer again")
    func reuse() {
        var evaluator = Evaluator<Double>(batchSize: 5)
        let first = evaluator.evaluate(Self.network, on: Self.data)
        let other = quadrantImages(count: 7, seed: 303)
        let small = evaluator.evaluate(Self.network, on: other)
        var fresh = Evaluator<Double>(batchSize: 5)
        #expect(small == fresh.evaluate(Self.network, on: other))
        #expect(evaluator.evaluate(Self.network, on: Self.data) == first)
    }

    @Test("one evaluator serves networks of different shapes (its cached workspaces must fit the network)")
    func reuseAcrossArchitectures() async {
        // Evaluator caches a workspace per batch size only; a second network with another hidden
        // size then meets a workspace shaped for the first and stops on a precondition.
        await #expect(processExitsWith: .success) {
            let data = quadrantImages(count: 10, seed: 304)
            let wide: Network<Float> = randomNetwork(sizes: [16, 8, 3], hidden: .relu, seed: 305)
            let narrow: Network<Float> = randomNetwork(sizes: [16, 4, 3], hidden: .relu, seed: 306)
            var shared = Evaluator<Float>(batchSize: 5)
            _ = shared.evaluate(wide, on: data)
            let reused = shared.evaluate(narrow, on: data)
            var fresh = Evaluator<Float>(batchSize: 5)
            precondition(reused == fresh.evaluate(narrow, on: data))
        }
    }

    @Test("on tied logits the first class is predicted, as the loss counts it")
    func tiesPredictTheFirstClass() {
        // Zero weights and biases: every logit is 0, every class tied.
        let network = Network(layers: [Dense<Double>(weight: Matrix(rows: 3, columns: 16), bias: Matrix(rows: 1, columns: 3), activation: .identity)])
        var evaluator = Evaluator<Double>(batchSize: 5)
        let evaluation = evaluator.evaluate(network, on: Self.data)
        #expect(evaluation.predictions == Array(repeating: 0, count: 23))
        let zeros = Self.data.labels.filter { $0 == 0 }.count
        #expect(zeros > 0 && zeros < 23)
        #expect(evaluation.accuracy == Double(zeros) / 23)
        #expect(isClose(evaluation.loss, log(3.0), relative: 1e-14))
    }

    @Test("a trained network's accuracy is what its predictions say")
    func accuracyOfPerfectPredictions() {
        // A hand-made linear classifier: logit c = total brightness of quadrant c.
        var weight = Matrix<Double>(rows: 3, columns: 16)
        for c in 0..<3 { for row in 0..<4 { for column in 0..<4 where (row / 2) * 2 + column / 2 == c { weight[c, row * 4 + column] = 1 } } }
        let network = Network(layers: [Dense(weight: weight, bias: Matrix(rows: 1, columns: 3), activation: .identity)])
        var evaluator = Evaluator<Double>(batchSize: 5)
        let evaluation = evaluator.evaluate(network, on: Self.data)
        #expect(evaluation.accuracy == 1)
        #expect(evaluation.predictions == Self.data.labels)
    }
}
