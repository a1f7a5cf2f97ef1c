import Perceptron

/// A trained network that reads one digit at a time: a 28 × 28 input in, ten probabilities out.
///
/// The server answers one drawing per request, so the forward pass is written for a batch of one.
/// A matrix product (GEMM) for one row spends more on setup than on arithmetic; instead each layer
/// keeps its weights transposed, `Wᵀ` `[in, out]`, and computes `z = b + Σᵢ xᵢ·Wᵀᵢ` by adding one
/// contiguous row of `Wᵀ` for each input that is not zero. A digit inks only about a fifth of its
/// 784 pixels, and ReLU leaves many hidden units at zero, so most rows are skipped: for 784-800-10
/// this is a few microseconds. The activation and the softmax are the library's own
/// (`Activation.apply`, `SoftmaxCrossEntropy.probabilities`), so the numbers agree with
/// `Network.probabilities` to rounding.
///
/// A value, `Sendable`: one reader is shared read-only by every request.
public struct DigitReader: Sendable {
    /// The network as trained.
    public let network: Network<Float>
    /// Each layer's weights transposed: `transposedWeights[l][i * out + j]` is `W[j, i]`.
    let transposedWeights: [[Float]]

    /// The number of inputs: 28 × 28 = 784.
    public static let inputSize = 784
    /// The number of classes: the digits 0 to 9.
    public static let classes = 10

    /// A reader for `network`, which must take 784 inputs and give 10 outputs.
    public init(network: Network<Float>) throws {
        guard network.sizes.first == Self.inputSize else {
            throw ServeError("the network takes \(network.sizes.first ?? 0) inputs, not 28×28 = \(Self.inputSize) pixels")
        }
        guard network.sizes.last == Self.classes else {
            throw ServeError("the network has \(network.sizes.last ?? 0) outputs; a digit classifier needs \(Self.classes)")
        }
        self.network = network
        transposedWeights = network.layers.map { layer in
            let (outputs, inputs) = (layer.outputSize, layer.inputSize)
            var transposed = [Float](repeating: 0, count: outputs * inputs)
            layer.weight.elements.withUnsafeBufferPointer { w in
                for j in 0..<outputs {
                    for i in 0..<inputs { transposed[i * outputs + j] = w[j * inputs + i] }
                }
            }
            return transposed
        }
    }

    /// The probabilities of the digits 0…9 for `input`: 784 values, 0 background and 1 full ink.
    public func probabilities(of input: [Float]) -> [Float] {
        precondition(input.count == Self.inputSize, "a digit is \(Self.inputSize) values, not \(input.count)")
        var activations = input
        var z = Matrix<Float>(rows: 1, columns: 0)
        for (layer, weights) in zip(network.layers, transposedWeights) {
            z = Matrix<Float>(rows: 1, columns: layer.outputSize)
            Self.accumulate(activations, weights, outputs: layer.outputSize, into: &z.elements)
            layer.activation.apply(to: &z, addingBias: layer.bias)
            activations = z.elements
        }
        return SoftmaxCrossEntropy.probabilities(logits: z).elements
    }

    /// The probabilities for 784 bytes, 0 background and 255 full ink (as MNIST and
    /// `DigitPreprocessing` make them): each byte is divided by 255, as in training.
    public func probabilities(ofBytes bytes: [UInt8]) -> [Float] {
        probabilities(of: bytes.map { Float($0) / 255 })
    }

    /// `z += Σᵢ xᵢ·Wᵀᵢ`, skipping the inputs that are zero.
    @inline(__always)
    static func accumulate(_ x: [Float], _ transposed: [Float], outputs: Int, into z: inout [Float]) {
        x.withUnsafeBufferPointer { x in
            transposed.withUnsafeBufferPointer { w in
                z.withUnsafeMutableBufferPointer { z in
                    guard let w = w.baseAddress, let z = z.baseAddress else { return }
                    for i in x.indices {
                        let xi = x[i]
                        if xi == 0 { continue }
                        let row = w + i * outputs
                        for j in 0..<outputs { z[j] += xi * row[j] }
                    }
                }
            }
        }
    }

    /// The most probable digit (the first, on ties).
    public static func digit(of probabilities: [Float]) -> Int {
        var best = 0
        for (index, p) in probabilities.enumerated() where p > probabilities[best] { best = index }
        return best
    }
}

/// A problem that stops `perceptron serve`, said in one line.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
