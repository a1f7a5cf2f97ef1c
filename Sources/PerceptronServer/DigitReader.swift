import Perceptron

/// A trained network that reads one digit at a time: a 28 × 28 input in, ten probabilities out,
/// through the library's one forward pass (``Network/probabilities(_:)``, a batch of one).
///
/// A value, `Sendable`: one reader is shared read-only by every request.
public struct DigitReader: Sendable {
    /// The network as trained.
    public let network: Network<Float>

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
    }

    /// The probabilities of the digits 0…9 for `input`: 784 values, 0 background and 1 full ink.
    public func probabilities(of input: [Float]) -> [Float] {
        precondition(input.count == Self.inputSize, "a digit is \(Self.inputSize) values, not \(input.count)")
        // One digit's products are too small to share: they run on the thread that serves the
        // request (OpenMP's thread count is a setting of each thread), so requests run side by side.
        OneDNN.threadCount = 1
        return network.probabilities(Matrix(rows: 1, columns: Self.inputSize, elements: input)).elements
    }

    /// The probabilities for 784 bytes, 0 background and 255 full ink (as MNIST and
    /// `DigitPreprocessing` make them): each byte is divided by 255, as in training.
    public func probabilities(ofBytes bytes: [UInt8]) -> [Float] {
        probabilities(of: bytes.map { Float($0) / 255 })
    }

    /// The most probable digit (the first, on ties).
    public static func digit(of probabilities: [Float]) -> Int {
        probabilities.argmax() ?? 0
    }
}

/// A problem that stops `perceptron serve`, said in one line.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
