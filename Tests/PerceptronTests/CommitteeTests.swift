import Foundation
import Perceptron
import Testing

@Suite("Committees of networks")
struct CommitteeTests {
    /// `2 → 3`, identity: `z = x·Wᵀ + b`.
    static let linear = Network<Double>(layers: [
        Dense(weight: Matrix([[1, 0], [0, 1], [1, 1]]), bias: Matrix([[0, 0, -1]]), activation: .identity),
    ])
    /// `2 → 2 (ReLU) → 3`.
    static let hidden = Network<Double>(layers: [
        Dense(weight: Matrix([[1, -1], [-1, 1]]), bias: Matrix([[0, 0]]), activation: .relu),
        Dense(weight: Matrix([[2, 0], [0, 2], [0, 0]]), bias: Matrix([[0, 0, 0.5]]), activation: .identity),
    ])

    static func softmax(_ z: [Double]) -> [Double] {
        let e = z.map { exp($0) }
        return e.map { $0 / e.reduce(0, +) }
    }

    @Test("a committee's probabilities are the mean of its members' softmax outputs, member by member as computed by hand")
    func meanOfMembers() throws {
        let committee = try Committee([Self.linear, Self.hidden])
        let x = Matrix<Double>([[1, 0.5], [0, 2]])
        // By hand: the linear member's logits are x·Wᵀ + b; the other's hidden units relu(x·W₁ᵀ) are
        // [0.5, 0] and [0, 2], its logits [1, 0, 0.5] and [0, 4, 0.5].
        let linearLogits = [[1, 0.5, 0.5], [0, 2, 1.0]]
        let hiddenLogits = [[1, 0, 0.5], [0, 4, 0.5]]
        let expected = (0..<2).map { n in zip(Self.softmax(linearLogits[n]), Self.softmax(hiddenLogits[n])).map { ($0 + $1) / 2 } }
        let p = committee.probabilities(x)
        #expect(p.shape == [2, 3])
        for n in 0..<2 {
            for j in 0..<3 { #expect(isClose(p[n, j], expected[n][j], relative: 1e-14), "row \(n), class \(j)") }
        }
        #expect(committee.inputs == 2 && committee.classes == 3)
        #expect(committee.parameterCount == Self.linear.parameterCount + Self.hidden.parameterCount)
    }

    @Test("each row of a committee's probabilities sums to one")
    func rowsSumToOne() throws {
        let committee = try Committee<Float>((0..<3).map { randomNetwork(sizes: [16, 4 + $0, 3], hidden: .tanh, seed: 400 + UInt64($0)) })
        let p = committee.probabilities(inputMatrix(quadrantImages(count: 9, seed: 401)))
        for n in 0..<p.rows {
            #expect(isClose((0..<3).reduce(0.0) { $0 + Double(p[n, $1]) }, 1, relative: 1e-6), "row \(n)")
        }
    }

    @Test("a committee of one gives exactly its network's probabilities and evaluation")
    func committeeOfOne() throws {
        let network: Network<Float> = randomNetwork(sizes: [16, 6, 3], hidden: .relu, seed: 410)
        let data = quadrantImages(count: 23, seed: 411)
        let x = inputMatrix(data, as: Float.self)
        for committee in [Committee(network), try Committee([network])] {
            #expect(committee.members == [network])
            #expect(committee.probabilities(x) == network.probabilities(x))
            var evaluator = Evaluator<Float>(batchSize: 5)
            #expect(evaluator.evaluate(committee, on: data) == evaluator.evaluate(network, on: data))
            #expect(committee.architecture == network.architecture)
        }
    }

    @Test("a committee's evaluation: predictions are the largest mean probability, the loss is the mean of −log p̄ of the label")
    func evaluation() throws {
        let members: [Network<Double>] = [randomNetwork(sizes: [16, 6, 3], hidden: .tanh, seed: 420),
                                          randomNetwork(sizes: [16, 3], hidden: .identity, seed: 421),
                                          randomNetwork(sizes: [16, 9, 5, 3], hidden: .relu, seed: 422)]
        let committee = try Committee(members)
        let data = quadrantImages(count: 23, seed: 423)  // not a multiple of the batch size
        var evaluator = Evaluator<Double>(batchSize: 5)
        let evaluation = evaluator.evaluate(committee, on: data)

        let p = committee.probabilities(inputMatrix(data))
        let predictions = (0..<data.count).map { n in UInt8((0..<3).max { p[n, $0] < p[n, $1] }!) }
        let loss = (0..<data.count).reduce(0.0) { $0 - log(p[$1, Int(data.labels[$1])]) } / Double(data.count)
        #expect(evaluation.predictions == predictions)
        #expect(evaluation.accuracy == Double(zip(predictions, data.labels).filter { $0 == $1 }.count) / Double(data.count))
        #expect(isClose(evaluation.loss, loss, relative: 1e-12))
        #expect(evaluation.count == 23 && evaluation.labels == data.labels)
        // Not any one member's answers: the committee is a different classifier.
        for member in members { #expect(evaluator.evaluate(member, on: data).loss != evaluation.loss) }
    }

    @Test("the committee's loss stays finite where every member's probability of the label underflows")
    func lossDoesNotUnderflow() throws {
        // Two members sure of class 0 by logit gaps of 200 and 300: p(label 1) is e⁻²⁰⁰ and e⁻³⁰⁰, below Float's range.
        func sure(_ gap: Float) -> Network<Float> {
            Network(layers: [Dense(weight: Matrix([[0], [0]]), bias: Matrix([[gap, 0]]), activation: .identity)])
        }
        let data = LabeledImages(images: [0], labels: [1], rows: 1, columns: 1)
        var evaluator = Evaluator<Float>()
        let evaluation = evaluator.evaluate(try Committee([sure(200), sure(300)]), on: data)
        // −log((e⁻²⁰⁰ + e⁻³⁰⁰) / 2) = 200 + log 2 − log(1 + e⁻¹⁰⁰)
        #expect(isClose(evaluation.loss, 200 + log(2), relative: 1e-6))
        #expect(evaluation.predictions == [0])
    }

    @Test("networks that read other inputs or give other classes do not form a committee; nor do none")
    func mismatchedMembers() {
        let first: Network<Float> = randomNetwork(sizes: [16, 6, 3], hidden: .relu, seed: 430)
        let wider: Network<Float> = randomNetwork(sizes: [20, 6, 3], hidden: .relu, seed: 431)
        let moreClasses: Network<Float> = randomNetwork(sizes: [16, 6, 4], hidden: .relu, seed: 432)
        let differentHidden: Network<Float> = randomNetwork(sizes: [16, 8, 8, 3], hidden: .tanh, seed: 433)
        #expect(throws: CommitteeError.inputsDiffer(member: 2, inputs: 20, firstInputs: 16)) {
            try Committee([first, differentHidden, wider])
        }
        #expect(throws: CommitteeError.classesDiffer(member: 1, classes: 4, firstClasses: 3)) { try Committee([first, moreClasses]) }
        #expect(throws: CommitteeError.noMembers) { try Committee<Float>([]) }
        #expect((try? Committee([first, differentHidden]))?.members.count == 2, "hidden layers may differ")
        let message = CommitteeError.inputsDiffer(member: 2, inputs: 20, firstInputs: 16).description
        #expect(message.contains("member 3") && message.contains("takes 20 inputs, the first member 16"))
    }

    @Test("a committee names its members' architecture")
    func architecture() throws {
        let a: Network<Float> = randomNetwork(sizes: [16, 6, 3], hidden: .relu, seed: 440)
        let b: Network<Float> = randomNetwork(sizes: [16, 3], hidden: .relu, seed: 441)
        #expect(try Committee([a, a, a]).architecture == "3 × 16-6-3")
        #expect(try Committee([a, b]).architecture == "16-6-3 + 16-3")
    }
}
