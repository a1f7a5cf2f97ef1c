/// One matrix product of the engine, with what oneDNN fuses into it:
///
/// ```
/// C ← f(op(A)·op(B) + b) + β·C        op(A): [m, k]   op(B): [k, n]   b: [n]   C: [m, n]
/// ```
/// `op(X)` is `Xᵀ` when asked (the transpose of a row-major matrix, read through its strides:
/// nothing is copied). `f` is an activation (``Activation/identity`` for none), `b` an optional
/// bias added to every row, `β = 0` overwrites C. The operands are float32 or, in
/// ``Precision/bf16``, bfloat16; the accumulation is float32 (or `Double`), and so is C, unless
/// ``bf16Result`` asks for C in bfloat16 (rounded to nearest even as it is written: the operand
/// of the next product, with no rounding pass between them).
///
/// Every product of training and inference is one of four (see ``Network/forward(_:)`` and
/// ``Network/backpropagate(_:reduction:into:accumulating:)``):
/// ```
/// forward           aₗ = f(x̃ₗ·Wₗᵀ + bₗ)        [B, in]·[in, out]    f and b fused
/// input gradient    δ̂ₗ₋₁ = δ̂ₗ·Wₗ              [B, out]·[out, in]
/// weight gradient   G ← δ̂ₗᵀ·x̃ₗ + β·G          [out, B]·[B, in]     β: the sum post-op, or β·G apart
/// bias gradient     G_b ← 1ᵀ·δ̂ₗ + β·G_b       [1, B]·[B, out]      1: a row of ones
/// ```
/// (`δ̂ = αδ`: backpropagation carries the optimiser's scale α down the layers.) In bf16 a hidden
/// layer's forward product and the input gradient write bfloat16.
/// ```
/// `Float` runs each on a oneDNN matmul primitive made for its product and this CPU
/// (`MatmulPrimitive`: one per distinct product, kept; on oneDNN's gemm, a large `β·C` is scaled
/// apart, by an element-wise primitive, and the product then added) — but a float32 row times a matrix with
/// nothing fused but β (a bias gradient `1ᵀ·δ̂`) on `dnnl_sgemm`, whose matrix–vector kernel runs
/// it twice as fast (``runsOnSGEMM``); `Double` on the reference loops.
public struct Product: Hashable, Sendable, CustomStringConvertible {
    /// The sizes `m`, `n`, `k`: `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`.
    public var m, n, k: Int
    /// Whether `op(A) = Aᵀ`, and whether `op(B) = Bᵀ`: the stored matrix read through its strides.
    public var transposeA, transposeB: Bool
    /// The operands' number format.
    public var precision: Precision
    /// Whether a bias `[n]` is added to every row.
    public var bias: Bool
    /// `f`, applied to `op(A)·op(B) + b` (``Activation/identity`` for none).
    public var activation: Activation
    /// `β` of `+ β·C`: 0 overwrites C, 1 adds the product to it (oneDNN's sum post-op).
    public var beta: Double
    /// Whether C is written in bfloat16 (its bits), rounded to nearest even; only with `β = 0`.
    public var bf16Result: Bool

    /// The product `C ← f(op(A)·op(B) + b) + β·C` of these sizes; unless given: no transposes, fp32,
    /// no bias, the identity, `β = 0`, C in float32.
    public init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, precision: Precision = .fp32,
                bias: Bool = false, activation: Activation = .identity, beta: Double = 0, bf16Result: Bool = false) {
        precondition(!bf16Result || beta == 0, "a bfloat16 result is written, not accumulated")
        (self.m, self.n, self.k) = (m, n, k)
        (self.transposeA, self.transposeB) = (transposeA, transposeB)
        self.precision = precision
        self.bias = bias
        self.activation = activation
        self.beta = beta
        self.bf16Result = bf16Result
    }

    /// The row stride of the stored A: `k` for A `[m, k]`, or `m` when transposed (`[k, m]`).
    public var lda: Int { transposeA ? m : k }
    /// The row stride of the stored B: `n` for B `[k, n]`, or `k` when transposed (`[n, k]`).
    public var ldb: Int { transposeB ? k : n }

    /// Whether `Float` runs this product on `dnnl_sgemm` rather than a matmul primitive: a float32
    /// row times a matrix (`m = 1`) with nothing fused but β. A rule on the product alone, not a
    /// timing, so that the same run gives the same bits. (Measured on an AMD EPYC, Zen 5: the
    /// bias gradients `[1, 128]·[128, 1024]` at 77–87 GFLOP/s on sgemm, 30–39 on the primitive.)
    public var runsOnSGEMM: Bool {
        m == 1 && precision == .fp32 && !bias && activation == .identity && !bf16Result
    }

    /// `2·m·n·k`, the multiplications and additions.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    public var description: String {
        var text = "\(m)×\(k)\(transposeA ? "ᵀ" : "")·\(k)×\(n)\(transposeB ? "ᵀ" : "") \(precision)"
        if bias { text += " +b" }
        if activation != .identity { text += " \(activation)" }
        if beta != 0 { text += " +\(Float(beta))·C" }
        if bf16Result { text += " → bf16" }
        return text
    }
}

extension Product {
    /// Runs this product; A and B are `Scalar` matrices in ``Precision/fp32``, bfloat16 matrices in
    /// ``Precision/bf16`` (their bits: see ``BFloat16Matrix``); C is `Scalar`, or bfloat16 bits
    /// with ``bf16Result``.
    @inlinable
    public func run<Scalar: NetworkScalar>(a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Scalar>?,
                                    into c: UnsafeMutableRawPointer) {
        if m == 0 || n == 0 { return }
        Scalar.run(self, a: a, b: b, bias: bias, c: c)
    }
}

extension Product {
    /// oneDNN's name for the kernel that runs this product in `Float` (`brg:avx512_core_bf16`, …,
    /// or `sgemm`); the primitive is made if it was not.
    public var implementation: String { runsOnSGEMM ? "sgemm" : MatmulPrimitive.cached(self).implementation }
}
