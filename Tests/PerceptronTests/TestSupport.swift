import Foundation
import Perceptron
import Testing

// MARK: - Approximate equality

/// Whether `a` and `b` agree to within `absolute`, or to within `relative` of the larger magnitude.
/// Two NaNs never agree: a NaN must make a comparison fail.
func isClose(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    guard a.isFinite, b.isFinite else { return a == b }
    return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// `isClose` for scalars of a network type.
func isClose<S: NetworkScalar>(_ a: S, _ b: S, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    isClose(Double(a), Double(b), relative: relative, absolute: absolute)
}

/// Whether two matrices have the same shape and every pair of elements is close.
func isClose<S: NetworkScalar>(_ a: Matrix<S>, _ b: Matrix<S>, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    a.shape == b.shape && zip(a.elements, b.elements).allSatisfy { isClose($0, $1, relative: relative, absolute: absolute) }
}

/// The largest `|a − b|` over two equally shaped matrices (infinite for different shapes or a NaN).
func maxDifference<S: NetworkScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.elements, b.elements).reduce(0.0) { worst, pair in
        let d = abs(Double(pair.0) - Double(pair.1))
        return d.isNaN ? .infinity : max(worst, d)
    }
}

/// The relative error `|a − n| / max(|a|, |n|, floor)` that gradient checks use.
func relativeError(_ analytic: Double, _ numeric: Double, floor: Double = 1e-8) -> Double {
    abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
}

// MARK: - Finite differences

/// `f′(x)` by the five-point central difference, `(−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h`
/// (truncation error O(h⁴)). In `Double` with `h = 10⁻³` both truncation and rounding stay near 10⁻¹².
func numericDerivative(at x: Double, step h: Double = 1e-3, _ f: (Double) -> Double) -> Double {
    (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)
}

// MARK: - Deterministic data

/// A `rows × columns` matrix of uniform values in `range`, the same for the same seed.
func randomMatrix<S: NetworkScalar>(_ rows: Int, _ columns: Int, seed: UInt64,
                                     in range: ClosedRange<Double> = -1...1, as _: S.Type = S.self) -> Matrix<S> {
    var generator = SplitMix64(seed: seed)
    let elements = (0..<rows * columns).map { _ in
        S(range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitDouble())
    }
    return Matrix(rows: rows, columns: columns, elements: elements)
}

/// A network with random weights and biases in [−0.8, 0.8] (so biases are not all zero), the output
/// layer's activation the identity.
func randomNetwork<S: NetworkScalar>(sizes: [Int], hidden: Activation, seed: UInt64, as _: S.Type = S.self) -> Network<S> {
    var layers: [Dense<S>] = []
    for l in 1..<sizes.count {
        layers.append(Dense(weight: randomMatrix(sizes[l], sizes[l - 1], seed: seed &+ UInt64(2 * l), in: -0.8...0.8),
                            bias: randomMatrix(1, sizes[l], seed: seed &+ UInt64(2 * l + 1), in: -0.8...0.8),
                            activation: l == sizes.count - 1 ? .identity : hidden))
    }
    return Network(layers: layers)
}

/// `count` labels in `0..<classes`, the same for the same seed.
func randomLabels(_ count: Int, classes: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8(generator.nextIndex(below: classes)) }
}

/// 4×4 greyscale images of `classes` (at most 4) classes: class `c` has its quadrant `c` bright
/// (bytes 160…255) and the rest dim (0…90). Linearly separable, but with noise.
func quadrantImages(count: Int, classes: Int = 3, seed: UInt64) -> LabeledImages {
    precondition(classes >= 2 && classes <= 4)
    var generator = SplitMix64(seed: seed)
    var images: [UInt8] = []
    var labels: [UInt8] = []
    for _ in 0..<count {
        let label = generator.nextIndex(below: classes)
        for row in 0..<4 {
            for column in 0..<4 {
                let quadrant = (row / 2) * 2 + column / 2
                let bright = quadrant == label
                images.append(UInt8(bright ? 160 + generator.nextIndex(below: 96) : generator.nextIndex(below: 91)))
            }
        }
        labels.append(UInt8(label))
    }
    return LabeledImages(images: images, labels: labels, rows: 4, columns: 4)
}

/// The images of `data` as a `[count, pixels]` matrix of `p / 255`, the way a workspace loads them.
func inputMatrix<S: NetworkScalar>(_ data: LabeledImages, as _: S.Type = S.self) -> Matrix<S> {
    let scale = 1 / S(255)
    return Matrix(rows: data.count, columns: data.pixelsPerImage, elements: data.images.map { S($0) * scale })
}

/// Every parameter of a network, layer by layer: weights row by row, then biases.
func flatParameters<S: NetworkScalar>(_ network: Network<S>) -> [S] {
    network.layers.flatMap { $0.weight.elements + $0.bias.elements }
}

/// Every entry of a list of layer gradients, in the order of ``flatParameters(_:)``.
func flatGradients<S: NetworkScalar>(_ gradients: [DenseGradient<S>]) -> [S] {
    gradients.flatMap { $0.weight.elements + $0.bias.elements }
}

/// A workspace for `sizes` holding a random batch: inputs uniform in [0, 1] (seed `seed`) and labels
/// among the last size's classes (seed `seed + 1`).
func randomBatch<S: NetworkScalar>(sizes: [Int], batchSize: Int, precision: Precision = .fp32, seed: UInt64,
                                   as _: S.Type = S.self) -> Workspace<S> {
    var workspace = Workspace<S>(sizes: sizes, batchSize: batchSize, precision: precision)
    workspace.input = randomMatrix(batchSize, sizes[0], seed: seed, in: 0...1)
    workspace.labels = randomLabels(batchSize, classes: sizes.last!, seed: seed + 1)
    return workspace
}
