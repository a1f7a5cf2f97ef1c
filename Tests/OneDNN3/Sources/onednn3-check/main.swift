// onednn3-check DATA_DIR: prints PASS/FAIL lines and exits 1 on the first failure.
//
// 1. The backend is oneDNN 3 (not the 2.6 every other check builds against).
// 2. One step of backpropagation in Float, on oneDNN — the forward products with their bias and
//    activation post-ops, the input gradients, and the weight and bias gradients accumulated into
//    a velocity (v ← μv − η∇) — agrees with the same step in Double (the reference product).
// 3. One epoch of 784-100-10 learns (≥ 90 % on the 10,000 test images), in fp32 and in bf16 (which
//    falls back to fp32 where the CPU has no bfloat16 instructions).
import Foundation
import Perceptron
import PerceptronData

func fail(_ message: String) -> Never {
    print("FAIL  oneDNN 3: \(message)")
    exit(1)
}

let backend = OneDNN.backendDescription(for: .fp32)
guard backend.hasPrefix("oneDNN 3.") else { fail("the library runs on \(backend), not oneDNN 3") }

// 2. Float on oneDNN against Double, every hidden activation, both reductions, batch 16: the
//    gradients themselves (β = 0), and accumulated into a velocity.
let sizes = [30, 20, 12, 10], batch = 16
var worst = 0.0
let accumulations = [GradientAccumulation<Double>.overwrite, GradientAccumulation(scale: -0.1, decay: 0.9)]
for activation in [Activation.sigmoid, .tanh, .relu] {
    for (reduction, accumulation) in LossReduction.allCases.flatMap({ r in accumulations.map { (r, $0) } }) {
        var generator = SplitMix64(seed: 7).stream("onednn3-\(activation)")
        let reference = Network<Double>(sizes: sizes, hiddenActivation: activation, using: &generator)
        let inputs = (0..<batch * sizes[0]).map { _ in generator.nextUnitDouble() }
        let labels = (0..<batch).map { _ in UInt8(generator.nextIndex(below: sizes.last!)) }
        // A velocity to accumulate into, so that every product's β is exercised.
        let velocities = reference.layers.map { layer in
            var v = DenseGradient(zeroLike: layer)
            v.weight.elements = v.weight.elements.map { _ in generator.nextUnitDouble() - 0.5 }
            v.bias.elements = v.bias.elements.map { _ in generator.nextUnitDouble() - 0.5 }
            return v
        }

        func step<S: NetworkScalar>(_ network: Network<S>) -> [DenseGradient<S>] {
            var workspace = Workspace<S>(sizes: sizes, batchSize: batch)
            workspace.input = Matrix(rows: batch, columns: sizes[0], elements: inputs.map { S($0) })
            workspace.labels = labels
            var gradients = network.zeroGradients()
            for l in gradients.indices {
                gradients[l].weight = velocities[l].weight.converted(to: S.self)
                gradients[l].bias = velocities[l].bias.converted(to: S.self)
            }
            network.backpropagate(&workspace, reduction: reduction, into: &gradients,
                                  accumulating: GradientAccumulation(scale: S(accumulation.scale), decay: S(accumulation.decay)))
            return gradients
        }
        let exact = step(reference), float = step(reference.converted(to: Float.self))
        for (l, (e, f)) in zip(exact, float).enumerated() {
            for (name, a, b) in [("weight", e.weight.elements, f.weight.elements), ("bias", e.bias.elements, f.bias.elements)] {
                // Relative, with a floor at 1 % of the matrix's largest element (Float's rounding of a
                // sum of terms that nearly cancel is relative to the terms, not to the sum).
                let floor = 0.01 * (a.map(abs).max() ?? 1)
                for (x, y) in zip(a, b) {
                    let error = abs(x - Double(y)) / max(abs(x), floor)
                    if error > worst { worst = error }
                    if error > 1e-4 {
                        fail("layer \(l)'s \(name) gradient, as \(accumulation.scale)·∇ + \(accumulation.decay)·v (\(activation.rawValue), "
                             + "\(reduction.rawValue)): Float \(y), Double \(x)")
                    }
                }
            }
        }
    }
}
print("PASS  oneDNN 3: a step of backpropagation in Float on \(backend) agrees with Double (largest relative difference \(String(format: "%.1e", worst)))")

// 3. One epoch learns.
let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "data/mnist")
let mnist: DatasetSplits
do {
    try MNISTFetcher(directory: folder, log: { _ in }).fetch()  // fetched once, checked by SHA-256
    mnist = try loadDataset(.mnist, from: folder)
} catch { fail("cannot read MNIST in \(folder.path): \(error)") }
for precision in [Precision.fp32, .bf16] {
    var generator = SplitMix64(seed: 1)
    let network = Network<Float>(sizes: [784, 100, 10], hiddenActivation: .sigmoid, using: &generator)
    var options = TrainingOptions(epochs: 1, batchSize: 128, learningRate: 0.5, momentum: 0.9)
    options.precision = precision
    var trainer = Trainer(network: network, optimizer: Momentum<Float>(learningRate: 0.5, momentum: 0.9),
                          options: options, shuffler: SplitMix64(seed: 2))
    _ = trainer.train(on: mnist.train, validation: mnist.test!) { _ in }
    var evaluator = Evaluator<Float>()
    let accuracy = evaluator.evaluate(trainer.network, on: mnist.test!).accuracy
    let ran = OneDNN.backendDescription(for: precision.supported)
    guard accuracy >= 0.9 else { fail("one epoch (--precision \(precision.rawValue), on \(ran)) reached \(accuracy) (< 0.90)") }
    print("PASS  oneDNN 3: one epoch of 784-100-10 learns, precision \(precision.rawValue): test10k \(accuracy) on \(ran)")
}
