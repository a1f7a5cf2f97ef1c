import CKernels

/// Every matrix one forward and backward pass writes, for one batch size `B`; made once, reused by
/// every step, so a training step allocates nothing.
///
/// Layers are counted from 0, in the code and in these comments alike: layer `l` reads its input
/// `xₗ` (`x₀` the pixels, `xₗ = aₗ₋₁` above) and writes its activations `aₗ`; the last `aₗ` are
/// the logits.
/// ```
/// input     x₀  [B, sizes[0]]       the batch, pixels scaled to [0, 1]
/// outputs   aₗ  [B, sizes[l + 1]]   aₗ = fₗ(zₗ),  zₗ = x̃ₗ·Wₗᵀ + bₗ
/// deltas    δ̂ₗ  [B, sizes[l + 1]]   δ̂ₗ = α·∂L/∂zₗ, α the scale the gradients are asked in (1: δ itself)
/// labels    tₙ  B class indices
/// ones      1   [1, B]              a row of ones: the bias gradient 1ᵀ·δ̂ₗ is a product
/// masks     mₗ  [B, sizes[l]]       dropout's scaled mask of layer l's input, where it has one
/// dropped   x̃ₗ  [B, sizes[l]]       layer l's input after dropout, x̃ₗ = xₗ ⊙ mₗ (else x̃ₗ = xₗ)
/// ```
/// With ``Precision/bf16`` it also keeps the products' operands in bfloat16, each written by the
/// pass that makes the value it rounds:
/// ```
/// roundedInputs   bf16(x̃ₗ)   by the batch load (l = 0), or the forward product of layer l − 1 itself
/// roundedWeights  bf16(Wₗ)   by the forward pass, where the layer holds none; read again by the input gradient
/// roundedDeltas   bf16(δ̂ₗ)   by the input gradient of layer l + 1 itself (the top's: by the loss's pass)
/// ```
/// A hidden layer's product then writes bfloat16 only, and the float32 `outputs` and `deltas` of
/// hidden layers are not written — except where the next layer's input has a dropout mask, or
/// ``preactivations`` are kept: there the products write float32 and a rounding follows
/// (``writesRounded(_:)``).
public struct Workspace<Scalar: NetworkScalar>: Sendable {
    /// `B`, the rows of every matrix here: the examples of one batch.
    public let batchSize: Int
    /// `x₀` `[B, sizes[0]]`: the batch, pixels scaled to [0, 1] (``load(_:indices:)``). (In bf16, in
    /// ``roundedInputs`` only, unless the input has a dropout mask.)
    public var input: Matrix<Scalar> { didSet { inputIsRounded = false } }
    /// `aₗ = fₗ(zₗ)` `[B, sizes[l + 1]]` of each layer `l`; the last are the logits. (In bf16, a
    /// hidden layer's are in ``roundedInputs`` only, unless ``writesRounded(_:)`` says otherwise.)
    public var outputs: [Matrix<Scalar>]
    /// `δ̂ₗ = α·∂L/∂zₗ` `[B, sizes[l + 1]]` of each layer `l`, shaped like ``outputs``: `α` is the
    /// scale of the gradients asked for (``GradientAccumulation/scale``; 1 gives `δ` itself). (In
    /// bf16, in ``roundedDeltas`` only where ``writesRounded(_:)``.)
    public var deltas: [Matrix<Scalar>]
    /// `tₙ`, the class index of each of the `B` examples.
    public var labels: [UInt8]
    /// Dropout masks by layer; empty (or `nil`) where nothing is dropped. See ``Dropout``.
    public var masks: [Matrix<Scalar>?] = []
    /// Each layer's input after its dropout mask, where it has one.
    public var dropped: [Matrix<Scalar>?]
    /// The number format of this workspace's matrix products: the one asked for where the CPU
    /// supports it, else ``Precision/fp32`` (see ``Precision/supported``).
    public let precision: Precision
    /// The pre-activations `zₗ`, when asked for (`keepsPreactivations` in ``init(sizes:batchSize:precision:keepsPreactivations:)``): the doctor's statistics.
    /// The forward pass then adds the bias and applies `f` after the product, not inside it.
    public internal(set) var preactivations: [Matrix<Scalar>]?
    /// `bf16(x̃ₗ)` `[B, sizes[l]]`, each layer's input in bfloat16: the forward product's operand
    /// (empty unless `precision` is ``Precision/bf16``).
    public var roundedInputs: [BFloat16Matrix] = []
    /// `bf16(Wₗ)` `[sizes[l + 1], sizes[l]]`, rounded by the forward pass where the layer holds no
    /// rounding of its own (``Dense/roundedWeight``); read again by the input gradient (empty
    /// unless bf16).
    public var roundedWeights: [BFloat16Matrix] = []
    /// `bf16(δ̂ₗ)` `[B, sizes[l + 1]]`: the operand of layer `l`'s input and weight gradients (empty
    /// unless bf16).
    public var roundedDeltas: [BFloat16Matrix] = []
    /// `1` `[1, B]`, a row of ones: `1ᵀ·δ̂ₗ = Σₙ δ̂ₗₙ`, the bias gradient as a product.
    let ones: Matrix<Scalar>
    /// `bf16(1)` `[1, B]`, the same row as a bf16 product's operand (empty unless bf16).
    var roundedOnes = BFloat16Matrix(rows: 0, columns: 0)
    /// Whether `roundedInputs[0]` holds the rounding of `input` (the batch load writes both).
    var inputIsRounded = false

    /// The matrices for a network of layer sizes `sizes` (`[784, 100, 10]`) and batches of
    /// `batchSize`, all zero, in `precision` where the CPU supports it (else fp32); with
    /// `keepsPreactivations`, ``preactivations`` too.
    public init(sizes: [Int], batchSize: Int, precision: Precision = .fp32, keepsPreactivations: Bool = false) {
        self.batchSize = batchSize
        self.precision = precision.supported
        input = Matrix(rows: batchSize, columns: sizes[0])
        outputs = sizes.dropFirst().map { Matrix(rows: batchSize, columns: $0) }
        deltas = outputs
        labels = Array(repeating: 0, count: batchSize)
        dropped = Array(repeating: nil, count: sizes.count - 1)
        if keepsPreactivations { preactivations = outputs }
        ones = Matrix(rows: 1, columns: batchSize, elements: Array(repeating: 1, count: batchSize))
        if self.precision == .bf16 {
            roundedInputs = sizes.dropLast().map { BFloat16Matrix(rows: batchSize, columns: $0) }
            roundedWeights = zip(sizes, sizes.dropFirst()).map { BFloat16Matrix(rows: $1, columns: $0) }
            roundedDeltas = sizes.dropFirst().map { BFloat16Matrix(rows: batchSize, columns: $0) }
            roundedOnes = BFloat16Matrix(ones)
        }
    }

    /// Gathers the examples at `indices` (exactly `batchSize` of them) into `labels` and the batch,
    /// scaling each pixel byte `p` to `p / 255`: into `input` — or in bf16, rounded, into
    /// `roundedInputs[0]` alone, the first product's operand, unless the input has a dropout mask
    /// (`x̃₀ = x₀ ⊙ m₀` needs the floats, and the forward pass rounds `x̃₀`). Draw the masks first.
    /// Float batches are gathered by `perceptron_gather_pixels` (AVX-512 where the CPU has it).
    @_specialize(where Scalar == Float)
    public mutating func load(_ data: LabeledImages, indices: ArraySlice<Int>) {
        precondition(indices.count == batchSize, "\(indices.count) examples for a workspace of \(batchSize)")
        precondition(data.pixelsPerImage == input.columns, "images of \(data.pixelsPerImage) pixels for a network of \(input.columns) inputs")
        let (width, rows) = (input.columns, batchSize)
        let scale = 1 / Scalar(255)
        let rounds = precision == .bf16 && mask(0) == nil
        // `rounded` alone holds the bfloat16 buffer while it is written (no copy, no overlapping access).
        var rounded = rounds ? roundedInputs[0] : BFloat16Matrix(rows: 0, columns: 0)
        if rounds { roundedInputs[0] = BFloat16Matrix(rows: 0, columns: 0) }
        data.images.withUnsafeBufferPointer { pixels in
            input.elements.withUnsafeMutableBufferPointer { x in
                rounded.bits.withUnsafeMutableBufferPointer { bits in
                    indices.withUnsafeBufferPointer { indices in
                        guard let pixels = pixels.baseAddress, let x = x.baseAddress, let indices = indices.baseAddress else { return }
                        let bits = rounds ? bits.baseAddress : nil
                        Parallel.forEachRange(rows, minimum: Parallel.minimumElements / max(width, 1),
                                              with: (pixels, rounds ? nil : x, bits, indices, width, scale)) { p, rows in
                            let (pixels, x, bits, indices, width, scale) = p
                            Self.gather(pixels, indices + rows.lowerBound, rows: rows.count, width: width, scale: scale,
                                        into: x.map { $0 + rows.lowerBound * width }, bits.map { $0 + rows.lowerBound * width })
                        }
                    }
                }
            }
        }
        if rounds { roundedInputs[0] = rounded }
        for (row, index) in indices.enumerated() { labels[row] = data.labels[index] }
        inputIsRounded = rounds
    }

    /// `x[r, p] = s·pixels[indices[r], p]` and `bits[r, p] = bf16(x[r, p])`, for `rows` rows of
    /// `width` pixels, where `x` and `bits` are given.
    private static func gather(_ pixels: UnsafePointer<UInt8>, _ indices: UnsafePointer<Int>, rows: Int, width: Int, scale: Scalar,
                               into x: UnsafeMutablePointer<Scalar>?, _ bits: UnsafeMutablePointer<UInt16>?) {
        if Scalar.self == Float.self {
            indices.withMemoryRebound(to: Int64.self, capacity: rows) { indices in
                perceptron_gather_pixels(pixels, indices, Int64(rows), Int64(width), Float(scale),
                                         UnsafeMutableRawPointer(x)?.assumingMemoryBound(to: Float.self), bits)
            }
            return
        }
        for row in 0..<rows {
            let source = pixels + indices[row] * width
            for p in 0..<width {
                let v = Scalar(source[p]) * scale
                x?[row * width + p] = v
                bits?[row * width + p] = bfloat16Bits(Float(v))
            }
        }
    }

    /// Whether layer `l`'s products write bfloat16 themselves — its forward product `bf16(aₗ)`
    /// into `roundedInputs[l + 1]`, the input gradient of layer `l + 1` `bf16(δ̂ₗ)` into
    /// `roundedDeltas[l]` — rather than float32 for a rounding to follow: in bf16, for a hidden
    /// layer whose output has no dropout mask, when no pre-activations are kept.
    public func writesRounded(_ l: Int) -> Bool {
        precision == .bf16 && l < outputs.count - 1 && mask(l + 1) == nil && preactivations == nil
    }

    /// What layer `l` sees, `x̃ₗ`: the pixels for the first layer, else `outputs[l − 1]`; after
    /// dropout, if layer `l`'s input has a mask.
    public func layerInput(_ l: Int) -> Matrix<Scalar> { mask(l) != nil ? dropped[l]! : unmaskedInput(l) }

    /// Layer `l`'s input before dropout, `xₗ`.
    func unmaskedInput(_ l: Int) -> Matrix<Scalar> { l == 0 ? input : outputs[l - 1] }

    /// Layer `l`'s dropout mask `mₗ`, if it has one.
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

    /// `x̃ₗ = xₗ ⊙ mₗ`, where layer `l` has a mask.
    @_specialize(where Scalar == Float)
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
