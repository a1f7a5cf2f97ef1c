extension Network {
    /// The forward pass over the batch in `workspace`, layer after layer (``Workspace`` has the
    /// shapes and the index convention):
    ///
    /// ```
    /// x₀ = the pixels,  xₗ = aₗ₋₁
    /// x̃ₗ = xₗ ⊙ mₗ                     dropout, where layer l's input has a mask
    /// aₗ = fₗ(x̃ₗ·Wₗᵀ + bₗ)             one product, with bₗ and fₗ fused into it
    /// ```
    /// Training, evaluation, prediction, the server and the doctor all run this pass. The products
    /// run in the workspace's precision; in bf16 they read `bf16(x̃ₗ)` and `bf16(Wₗ)`.
    @_specialize(where Scalar == Float)
    public func forward(_ workspace: inout Workspace<Scalar>) {
        for l in layers.indices {
            workspace.applyMask(l)
            workspace.multiplyInput(ofLayer: l, by: layers[l])
        }
    }

    /// The logits `a_{L−1}` for a batch of inputs, `[batch, inputs] → [batch, outputs]`: the forward
    /// pass on a workspace made for them (in fp32).
    public func logits(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        var workspace = Workspace<Scalar>(sizes: sizes, batchSize: input.rows)
        workspace.input = input
        forward(&workspace)
        return workspace.outputs[layers.count - 1]
    }

    /// `softmax(a_{L−1})`, row by row: each row's probability of each class.
    public func probabilities(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        SoftmaxCrossEntropy.probabilities(logits: logits(input))
    }
}

extension Workspace {
    /// `aₗ = fₗ(x̃ₗ·Wₗᵀ + bₗ)` into `outputs[l]`: `[B, in]·[in, out] → [B, out]`. With
    /// ``preactivations`` kept, `zₗ = x̃ₗ·Wₗᵀ + bₗ` goes there first and `fₗ` is applied after. In
    /// bf16 the product reads `bf16(x̃ₗ)` (rounded here unless the pass that made it wrote it) and
    /// `bf16(Wₗ)`, and writes `bf16(aₗ)` into `roundedInputs[l + 1]` where ``writesRounded(_:)``.
    mutating func multiplyInput(ofLayer l: Int, by layer: Dense<Scalar>) {
        let fused = preactivations == nil
        let rounded = writesRounded(l)
        let product = Product(m: batchSize, n: layer.outputSize, k: layer.inputSize, transposeB: true, precision: precision,
                              bias: true, activation: fused ? layer.activation : .identity, bf16Result: rounded)
        if precision == .bf16 {
            let written = l == 0 ? mask(0) == nil && inputIsRounded : writesRounded(l - 1)
            if !written { roundedInputs[l].round(layerInput(l)) }
            if layer.roundedWeight == nil { roundedWeights[l].round(layer.weight) }
        }
        if rounded {
            var result = roundedInputs[l + 1]
            roundedInputs[l + 1] = BFloat16Matrix(rows: 0, columns: 0)  // `result` alone holds the buffer
            withOperands(ofLayer: l, layer) { x, w in Self.run(product, x, w, layer.bias, &result) }
            roundedInputs[l + 1] = result
            return
        }
        var result = fused ? outputs[l] : preactivations![l]
        outputs[l] = Matrix(rows: 0, columns: 0)  // `result` alone holds the buffer: writing it copies nothing
        withOperands(ofLayer: l, layer) { x, w in Self.run(product, x, w, layer.bias, &result) }
        if fused {
            outputs[l] = result
        } else {
            preactivations![l] = result
            outputs[l] = result
            layer.activation.apply(to: &outputs[l], addingBias: Matrix(rows: 1, columns: layer.outputSize))
        }
    }

    /// `x̃ₗ` and `Wₗ` as layer `l`'s forward product reads them: float32, or in bf16 their roundings.
    func withOperands<R>(ofLayer l: Int, _ layer: Dense<Scalar>, _ body: (UnsafeRawPointer, UnsafeRawPointer) -> R) -> R {
        switch precision {
        case .fp32:
            layerInput(l).elements.withUnsafeBytes { x in layer.weight.elements.withUnsafeBytes { w in body(x.baseAddress!, w.baseAddress!) } }
        case .bf16:
            roundedInputs[l].bits.withUnsafeBytes { x in
                (layer.roundedWeight ?? roundedWeights[l]).bits.withUnsafeBytes { w in body(x.baseAddress!, w.baseAddress!) }
            }
        }
    }

    /// Runs `product` into `c`, with `bias` where it has one.
    static func run(_ product: Product, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ bias: Matrix<Scalar>?,
                    _ c: inout Matrix<Scalar>) {
        c.elements.withUnsafeMutableBytes { run(product, a, b, bias, into: $0.baseAddress!) }
    }

    /// Runs `product`, one with a ``Product/bf16Result``, into the bfloat16 `c`.
    static func run(_ product: Product, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ bias: Matrix<Scalar>?,
                    _ c: inout BFloat16Matrix) {
        c.bits.withUnsafeMutableBytes { run(product, a, b, bias, into: $0.baseAddress!) }
    }

    private static func run(_ product: Product, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ bias: Matrix<Scalar>?,
                            into c: UnsafeMutableRawPointer) {
        guard let bias else { return product.run(a: a, b: b, bias: nil as UnsafePointer<Scalar>?, into: c) }
        bias.elements.withUnsafeBufferPointer { product.run(a: a, b: b, bias: $0.baseAddress, into: c) }
    }
}
