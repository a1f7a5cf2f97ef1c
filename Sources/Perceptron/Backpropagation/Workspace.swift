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
/// With ``Precision/bf16`` it also keeps the products' operands rounded to bfloat16, made once:
/// ```
/// roundedInputs   x̃ˡ  [B, sizes[l]]            what layer l's products read of its input
/// roundedWeights  Wˡ  [sizes[l+1], sizes[l]]   rounded by the forward pass, read again by δ·W
/// roundedDeltas   δˡ  [B, sizes[l+1]]
/// ```
public struct Workspace<Scalar: NetworkScalar>: Sendable {
    public let batchSize: Int
    /// Writing it (other than by ``load(_:indices:)``) resets ``inputColumns`` to every column.
    public var input: Matrix<Scalar> { didSet { inputColumns = 0 ..< input.columns } }
    /// The columns of `input` outside which every pixel of the batch is zero: MNIST digits leave
    /// a margin, about a tenth of the 784 columns in a batch of 128. ``load(_:indices:)`` finds it,
    /// and the first layer's products skip the columns outside (``ProductWindow``).
    public private(set) var inputColumns: Range<Int>

    public var outputs: [Matrix<Scalar>]
    public var deltas: [Matrix<Scalar>]
    public var labels: [UInt8]
    /// Dropout masks by layer; empty (or `nil`) where nothing is dropped. See ``Dropout``.
    public var masks: [Matrix<Scalar>?] = []
    /// Each layer's input after its dropout mask, where it has one.
    public var dropped: [Matrix<Scalar>?]
    /// The number format of this workspace's matrix products: the one asked for where the CPU
    /// supports it, else ``Precision/fp32`` (see ``Precision/supported``).
    public let precision: Precision
    /// The products' operands in bfloat16 (empty unless `precision` is ``Precision/bf16``).
    public var roundedInputs: [BFloat16Matrix] = []
    public var roundedWeights: [BFloat16Matrix] = []
    public var roundedDeltas: [BFloat16Matrix] = []

    public init(sizes: [Int], batchSize: Int, precision: Precision = .fp32) {
        self.batchSize = batchSize
        self.precision = precision.supported
        input = Matrix(rows: batchSize, columns: sizes[0])
        inputColumns = 0 ..< sizes[0]
        outputs = sizes.dropFirst().map { Matrix(rows: batchSize, columns: $0) }
        deltas = outputs
        labels = Array(repeating: 0, count: batchSize)
        dropped = Array(repeating: nil, count: sizes.count - 1)
        if self.precision == .bf16 {
            roundedInputs = sizes.dropLast().map { BFloat16Matrix(rows: batchSize, columns: $0) }
            roundedWeights = zip(sizes, sizes.dropFirst()).map { BFloat16Matrix(rows: $1, columns: $0) }
            roundedDeltas = sizes.dropFirst().map { BFloat16Matrix(rows: batchSize, columns: $0) }
        }
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
                Parallel.forEachRange(indices.count, minimum: Parallel.minimumElements / max(width, 1),
                                      with: (pixels, x, indices, width, scale)) { p, rows in
                    let (pixels, x, indices, width, scale) = p
                    let first = indices.startIndex
                    for row in rows {
                        let source = pixels + indices[first + row] * width
                        let target = x + row * width
                        for p in 0..<width { target[p] = Scalar(source[p]) * scale }
                    }
                }
            }
        }
        for (row, index) in indices.enumerated() { labels[row] = data.labels[index] }
        inputColumns = Self.nonzeroColumns(of: data, indices: indices)
    }

    /// The narrowest range of columns outside which the images at `indices` are all zero (empty
    /// when they are all zero): from each image, its first and its last nonzero byte.
    public static func nonzeroColumns(of data: LabeledImages, indices: ArraySlice<Int>) -> Range<Int> {
        let width = data.pixelsPerImage
        var (first, last) = (width, -1)
        data.images.withUnsafeBufferPointer { pixels in
            guard let pixels = pixels.baseAddress else { return }
            for index in indices {
                let image = pixels + index * width
                var p = 0
                while p < first && image[p] == 0 { p += 1 }
                first = min(first, p)
                var q = width - 1
                while q > last && image[q] == 0 { q -= 1 }
                last = max(last, q)
            }
        }
        return last < first ? 0 ..< 0 : first ..< last + 1
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
