/// Every matrix one forward and backward pass writes, for one batch size `B`; made once, reused by
/// every step, so a training step allocates nothing.
///
/// ```
/// input    a⁰  [B, sizes[0]]     the batch, pixels scaled to [0, 1]
/// outputs  aˡ  [B, sizes[l]]     l = 1 … L; the last are the logits
/// deltas   δˡ  [B, sizes[l]]     δˡ = ∂L/∂zˡ
/// labels   tₙ  B class indices
/// ```
public struct Workspace<Scalar: NetworkScalar>: Sendable {
    public let batchSize: Int
    public var input: Matrix<Scalar>
    public var outputs: [Matrix<Scalar>]
    public var deltas: [Matrix<Scalar>]
    public var labels: [UInt8]

    public init(sizes: [Int], batchSize: Int) {
        self.batchSize = batchSize
        input = Matrix(rows: batchSize, columns: sizes[0])
        outputs = sizes.dropFirst().map { Matrix(rows: batchSize, columns: $0) }
        deltas = outputs
        labels = Array(repeating: 0, count: batchSize)
    }

    /// Gathers the examples at `indices` (exactly `batchSize` of them) into `input` and `labels`,
    /// scaling each pixel byte `p` to `p / 255`.
    public mutating func load(_ data: LabeledImages, indices: ArraySlice<Int>) {
        precondition(indices.count == batchSize, "\(indices.count) examples for a workspace of \(batchSize)")
        precondition(data.pixelsPerImage == input.columns, "images of \(data.pixelsPerImage) pixels for a network of \(input.columns) inputs")
        let width = input.columns
        let scale = 1 / Scalar(255)
        data.images.withUnsafeBufferPointer { pixels in
            input.elements.withUnsafeMutableBufferPointer { x in
                guard let pixels = pixels.baseAddress, let x = x.baseAddress else { return }
                for (row, index) in indices.enumerated() {
                    let source = pixels + index * width
                    let target = x + row * width
                    for p in 0..<width { target[p] = Scalar(source[p]) * scale }
                }
            }
        }
        for (row, index) in indices.enumerated() { labels[row] = data.labels[index] }
    }

    /// `a⁰` for the layer below layer `l` (0-based): the input for the first layer, else `outputs[l − 1]`.
    func layerInput(_ l: Int) -> Matrix<Scalar> { l == 0 ? input : outputs[l - 1] }
}
