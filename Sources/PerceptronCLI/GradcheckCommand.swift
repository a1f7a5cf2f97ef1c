import ArgumentParser
import Perceptron

struct GradcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Compare backpropagation with central finite differences, in Double, for every weight and bias.",
        discussion: """
            Builds small networks (two hidden layers, each hidden activation, a batch of 8) and prints \
            the largest relative error per network. Exits non-zero if any exceeds the tolerance.
            """)

    @Option(help: "The largest relative error that passes.")
    var tolerance = 1e-6

    @Option(help: "The seed of the networks and their batch.")
    var seed: UInt64 = 1

    func run() throws {
        var worst = 0.0
        let sizes = [12, 7, 5, 10]
        for reduction in LossReduction.allCases {
            for activation in [Activation.sigmoid, .tanh, .relu] {
                var generator = SplitMix64(seed: seed).stream("gradcheck-\(activation)")
                let network = Network<Double>(sizes: sizes, hiddenActivation: activation, using: &generator)
                let batch = 8
                let inputs = Matrix<Double>(rows: batch, columns: sizes[0],
                                            elements: (0..<batch * sizes[0]).map { _ in generator.nextUnitDouble() })
                let labels = (0..<batch).map { _ in UInt8(generator.nextIndex(below: sizes.last!)) }
                let result = GradientCheck.check(network, inputs: inputs, labels: labels, reduction: reduction)
                worst = max(worst, result.maxRelativeError)
                let verdict = result.maxRelativeError < tolerance ? "ok" : "FAILED"
                print("\(network.architecture) \(activation.rawValue.padding(7)) loss \(reduction.rawValue.padding(4)) "
                      + "\(result.parameterCount) parameters  max relative error \(scientific(result.maxRelativeError)) "
                      + "at \(result.worstParameter)  \(verdict)")
            }
        }
        if worst >= tolerance {
            print("gradcheck failed: a relative error of \(scientific(worst)) is above \(scientific(tolerance))")
            throw ExitCode.failure
        }
        print("gradcheck passed: every relative error is below \(scientific(tolerance))")
    }
}
