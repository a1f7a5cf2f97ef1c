/// Every matrix one forward and backward pass writes, for one batch size `B`; made once, reused by
/// every step, so a training step allocates nothing.
///
/// ```
/// input    a⁰  [B, sizes[0]]     the batch, pixels scaled to [0, 1]
/// outputs  aˡ  [B, sizes[l]]     l = 1 … L; the last are the logits
/// deltas   δˡ  [B, sizes[l]]     δˡ = ∂L/∂zˡ
/// labels   tₙ  B class indices
/// masks    mˡ  [B, sizes[l]]     dropout's scaled masks of layer l's input, when it has one
/// dropped  x̃ˡ  [B, sizes[l]]     layer l's input after dropout (x ⊙ mˡ)
/// ```
public struct Workspace<Scalar: NetworkScalar>: Sendable {
    public let batchSize: Int
    public var input: Matrix<Scalar>
    public var outputs: [Matrix<Scalar>]
    public var deltas: [Matrix<Scalar>]
    public var labels: [UInt8]
    /// Dropout masks by layer; empty (or `nil`) where nothing is dropped. See ``Dropout``.
    public var masks: [Matrix<Scalar>?] = []
    /// Each layer's input after its dropout mask, where it has one.
    public var dropped: [Matrix<Scalar>?]
    /// The number format of this workspace's matrix products.
    public let precision: Precision

    public init(sizes: [Int], batchSize: Int, precision: Precision = .fp32) {
        self.batchSize = batchSize
        self.precision = precision
        input = Matrix(rows: batchSize, columns: sizes[0])
        outputs = sizes.dropFirst().map { Matrix(rows: batchSize, columns: $0) }
        deltas = outputs
        labels = Array(repeating: 0, count: batchSize)
        dropped = Array(repeating: nil, count: sizes.count - 1)
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

    /// What layer `l` (0-based) sees: the pixels for the first layer, else `outputs[l − 1]`; after
    /// dropout, if layer `l`'s input has a mask.
    public func layerInput(_ l: Int) -> Matrix<Scalar> { mask(l) != nil ? dropped[l]! : unmaskedInput(l) }

    /// Layer `l`'s input before dropout.
    func unmaskedInput(_ l: Int) -> Matrix<Scalar> { l == 0 ? input : outputs[l - 1] }

    /// Layer `l`'s dropout mask, if it has one.
    func mask(_ l: Int) -> Matrix<Scalar>? { l < masks.count ? masks[l] : nil }

    /// Sets the dropout masks by hand (`nil` where a layer's input keeps every unit), e.g. to check
    /// gradients with a fixed mask.
    public mutating func setMasks(_ masks: [Matrix<Scalar>?]) {
        precondition(masks.count <= outputs.count, "\(masks.count) masks for \(outputs.count) layers")
        self.masks = masks
        for l in masks.indices {
            if let mask = masks[l] {
                precondition(mask.shape == unmaskedInput(l).shape, "mask \(l) is \(mask.shape), the layer's input \(unmaskedInput(l).shape)")
                dropped[l] = mask
            }
        }
    }

    /// `x̃ˡ = x ⊙ mˡ`, where layer `l` has a mask.
    mutating func applyMask(_ l: Int) {
        guard let mask = mask(l) else { return }
        let source = unmaskedInput(l)
        let count = source.elements.count
        source.elements.withUnsafeBufferPointer { x in
            mask.elements.withUnsafeBufferPointer { m in
                dropped[l]!.elements.withUnsafeMutableBufferPointer { d in
                    for i in 0..<count { d[i] = x[i] * m[i] }
                }
            }
        }
    }
}
