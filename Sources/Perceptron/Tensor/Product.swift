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
/// apart, by an element-wise primitive, and the product then added) — but a float32 product with
/// nothing fused but β whose `m` or `k` is at most ``narrowest`` (a bias gradient `1ᵀ·δ̂`, and the
/// 10-class top layer's weight and input gradients) on `dnnl_sgemm`, whose kernels for thin
/// matrices run it faster (``runsOnSGEMM``), and a narrow, deep forward product `x̃·Wᵀ + b`, with at
/// most ``narrowest`` outputs and at least ``shallowest`` inputs (the 10-class top layer above a wide
/// one), as its transpose `Cᵀ = W·x̃ᵀ` on `dnnl_sgemm`, then `C = (Cᵀ)ᵀ + b`
/// (``runsTransposedOnSGEMM``); a wider bfloat16 forward product on its primitive too, but through its
/// transpose (``runsThroughTranspose``); `Double` on the reference loops.
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

    /// The largest `m` or `k` of a product ``runsOnSGEMM`` sends to `dnnl_sgemm`.
    public static let narrowest = 16

    /// Whether `Float` runs this product on `dnnl_sgemm` rather than a matmul primitive: a float32
    /// product with nothing fused but β, a thin one — `m ≤ 16` (a row of ones times δ̂, the top
    /// layer's `δ̂ᵀ·x̃` with 10 classes) or `k ≤ 16` (the top layer's `δ̂·W`). A rule on the product
    /// alone, not a timing, so that the same run gives the same bits. Measured on an AMD EPYC,
    /// 2 threads, GFLOP/s of sgemm against the primitive: Zen 5, the bias gradients
    /// `[1, 128]·[128, 1024]` 77–87 against 30–39; Zen 4, `[10, 128]·[128, 1024] + 0.9·C` 150–155
    /// against 109–111, and `[128, 10]·[10, 800]` 71–131 against 39–135. The 10-wide forward
    /// product runs as its transpose instead (``runsTransposedOnSGEMM``).
    public var runsOnSGEMM: Bool {
        (m <= Self.narrowest || k <= Self.narrowest) && precision == .fp32 && !bias && activation == .identity && !bf16Result
            && !runsTransposedOnSGEMM
    }

    /// Whether `Float` runs this product as its transpose on `dnnl_sgemm`: a float32 forward
    /// product `C = A·Bᵀ (+ b)` with B `[n, k]` a weight matrix of at most ``narrowest`` rows (the
    /// 10-class top layer), nothing else fused and `β = 0`, computed as `Cᵀ = B·Aᵀ` `[n, m]` and
    /// then written transposed into C, the bias added as it is. The primitive's kernel reads A a
    /// few rows at a time, and A's rows are the widest layer's activations, 4 KiB apart at 1,024
    /// units, which slows it by half; sgemm packs A first. A rule on the product alone, as
    /// ``runsOnSGEMM``. Measured on an AMD EPYC Zen 4, 2 threads, medians, GFLOP/s of this way
    /// against the primitive: `[128, 1024]·[1024, 10]ᵀ + b` 122 against 51, `[128, 800]·[800, 10]ᵀ
    /// + b` 131 against 89, `[1000, 1024]·[1024, 10]ᵀ + b` 126 against 63, one image `[1, 800]`
    /// 30 against 6; but a shallow one, `k` below ``shallowest``, keeps its primitive
    /// (`[128, 100]·[100, 10]ᵀ + b`, A's: 29–41 against 44–53 in `perceptron bench`).
    public var runsTransposedOnSGEMM: Bool {
        n <= Self.narrowest && k >= Self.shallowest && transposeB && !transposeA && precision == .fp32
            && activation == .identity && beta == 0 && !bf16Result
    }

    /// Whether the matmul primitive runs this product through its transpose: a bfloat16 forward
    /// product `C = f(A·Bᵀ + b)` of more than ``narrowest`` outputs, `f` the identity or ReLU, `β = 0`
    /// (and a float32 one too, where ``float32ForwardThroughTranspose``),
    /// computed as `Cᵀ = B·Aᵀ` `[n, m]` in float32 into a buffer of the primitive's own; then one
    /// pass, `perceptron_transpose_with_bias` (AVX-512 in 16 × 16 blocks, the rows of Cᵀ split over
    /// the product's threads), writes `C[i, j] = f(Cᵀ[j, i] + b[j])` in float32, or in bfloat16 with
    /// the bits of ``bfloat16Bits(_:)`` (subnormals kept, where the direct kernel's conversion takes
    /// them as zero). It replaced a scalar loop over Cᵀ and a oneDNN reorder: C bf16's forward
    /// products 522–543 → 516–535 µs and 654–674 → 651–655 µs, that pass 26–33 µs on each thread
    /// (three alternating pairs inside `perceptron train`, Zen 4, 2026-12-04).
    /// The kernel then streams the weights B once, against the batch packed once, rather than once
    /// per block of the batch's rows; what that saves shows after the product: the momentum update
    /// of those weights, whose master copy the step touches nowhere else, finds it still in the
    /// cache (`bench/update_after_forward.c`). A rule on the product alone, as ``runsOnSGEMM``.
    /// Measured on an AMD EPYC Zen 4, 2 threads, medians inside `perceptron train`
    /// (`bench/step_profile.py`), three runs each way back to back: B bf16 (`[128, 784]·[784, 800]ᵀ
    /// + b`, ReLU) its first layer's update 128–131 µs after the direct product, 47–51 µs after
    /// this one, the product itself 392–419 against 400–425 µs; C bf16 steps 4,142–4,188 against
    /// 4,255–4,510 µs. In float32 the update gains as much (B: 99–123 → 49–53 µs) but the products
    /// lose it (B's steps 1,839–1,977 → 1,864–2,009 µs), and the input gradient `δ̂·W` through its
    /// transpose is slower (C's 1,024-wide: 786–886 against 671–694 µs): both keep the direct way
    /// there. On an Intel CPU the float32 forward product gains too (``float32ForwardThroughTranspose``).
    /// The bias comes after the product because oneDNN 2.6's fast kernels take a bias of one value
    /// per column only (one per row, `[n, 1]`, falls to the reference kernel `ref:any`); other
    /// activations stay direct. A product ``runsOnSGEMM`` takes does not come here.
    public var runsThroughTranspose: Bool {
        (precision == .bf16 || Self.float32ForwardThroughTranspose) && transposeB && !transposeA && beta == 0 && n > Self.narrowest
            && (activation == .identity || activation == .relu) && !runsOnSGEMM
    }

    /// Whether a float32 forward product runs through its transpose as a bfloat16 one does
    /// (``runsThroughTranspose``): on an Intel CPU (``OneDNN/cpuIsIntel``), a rule of the machine, so a
    /// run's bits never depend on a timing. Intel Xeon family 6 model 207 (2 cores, L2 2 MiB a core),
    /// `perceptron bench --arch B|C`, alternating runs, 2026-12-06: B's first layer 236.6 against
    /// 213.1 GFLOP/s in the same pair, B's epoch ÷ its products alone 1.26–1.30 against 1.40–1.41
    /// (three pairs), C's epoch 2.37–2.38 s against 2.42–2.47 (two pairs). On AMD's Zen 4 the same
    /// change was a wash, 1 % slower (above), so AMD's CPUs, and others, keep the direct way.
    public static let float32ForwardThroughTranspose = OneDNN.cpuIsIntel

    /// The smallest `k` of a narrow forward product ``runsTransposedOnSGEMM`` sends to `dnnl_sgemm`.
    public static let shallowest = 256

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
    /// Runs this product as `Float` does, but on its oneDNN matmul primitive even where
    /// ``runsOnSGEMM`` or ``runsTransposedOnSGEMM`` sends it to `dnnl_sgemm`: what `perceptron
    /// bench` weighs those rules against.
    public func runOnMatmulPrimitive(a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Float>?,
                                     into c: UnsafeMutableRawPointer) {
        if m == 0 || n == 0 { return }
        MatmulPrimitive.cached(self).run(a: a, b: b, c: c, bias: bias)
    }

    /// oneDNN's name for the kernel that runs this product in `Float` (`brg:avx512_core_bf16`, …,
    /// or `sgemm`); the primitive is made if it was not.
    public var implementation: String {
        runsOnSGEMM ? "sgemm" : runsTransposedOnSGEMM ? "sgemm of the transpose"
            : MatmulPrimitive.cached(self).implementation + (runsThroughTranspose ? " of the transpose" : "")
    }
}
