import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scalars a network computes with.
///
/// `Float` trains (its products run on oneDNN's matmul primitives); `Double` checks gradients
/// against finite differences (its products run on the plain ``referenceProduct(_:a:b:bias:c:)``).
/// All the numeric code is generic over this protocol.
public protocol NetworkScalar: BinaryFloatingPoint, Codable, Sendable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
    /// eˣ
    static func exp(_ x: Self) -> Self
    /// ln x
    static func log(_ x: Self) -> Self
    /// tanh x
    static func tanh(_ x: Self) -> Self

    /// `C ← α·op(A)·op(B) + β·C`, all row-major; `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`:
    /// the general product (``Matrix/multiply(_:_:transposeA:transposeB:into:alpha:beta:)``).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// One of the engine's products, `C ← f(op(A)·op(B) + b) + β·C` (see ``Product``): A and B hold
    /// `Self` values, or bfloat16 bits when `product.precision` is ``Precision/bf16``.
    static func run(_ product: Product, a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Self>?,
                    c: UnsafeMutableRawPointer)

    /// `δ ← δ ⊙ f′`, element by element, with `f′` computed from the activation's outputs `a`.
    static func multiplyByDerivative(of activation: Activation, _ delta: UnsafeMutablePointer<Self>,
                                     outputs a: UnsafePointer<Self>, count: Int)

    /// `δ ← bf16(δ ⊙ f′)` on bfloat16 bits, with `f′` computed from the activation's outputs `a`
    /// (bfloat16 too), in float32 or better.
    static func multiplyByDerivative(of activation: Activation, bfloat16 delta: UnsafeMutablePointer<UInt16>,
                                     outputs a: UnsafePointer<UInt16>, count: Int)

    /// `θ ← θ + v`, element by element, `count` of them.
    static func add(_ v: UnsafePointer<Self>, to theta: UnsafeMutablePointer<Self>, count: Int)

    /// The name of this type in the safetensors format (`F32`, `F64`).
    static var safetensorsType: String { get }
}

extension Float: NetworkScalar {
    @inlinable public static func exp(_ x: Float) -> Float { exponential(x) }
    @inlinable public static func log(_ x: Float) -> Float { logf(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        OneDNN.sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// A oneDNN matmul primitive made for `product` on this CPU, with the bias and activation
    /// as post-ops and β as the sum post-op; or `dnnl_sgemm`, where ``Product/runsOnSGEMM`` or
    /// ``Product/runsTransposedOnSGEMM``.
    public static func run(_ product: Product, a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Float>?,
                           c: UnsafeMutableRawPointer) {
        if product.runsTransposedOnSGEMM { return runTransposed(product, a: a, b: b, bias: bias, c: c) }
        guard product.runsOnSGEMM else { return MatmulPrimitive.cached(product).run(a: a, b: b, c: c, bias: bias) }
        gemm(transposeA: product.transposeA, transposeB: product.transposeB, m: product.m, n: product.n, k: product.k,
             alpha: 1, a: a.assumingMemoryBound(to: Float.self), lda: product.lda,
             b: b.assumingMemoryBound(to: Float.self), ldb: product.ldb,
             beta: Float(product.beta), c: c.assumingMemoryBound(to: Float.self), ldc: product.n)
    }

    /// `C = A·Bᵀ + b` as `Cᵀ = B·Aᵀ` `[n, m]` (B `[n, k]`, A `[m, k]`, both as stored), then
    /// `C[i, j] = Cᵀ[j, i] + b[j]`: ``Product/runsTransposedOnSGEMM``.
    static func runTransposed(_ product: Product, a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Float>?,
                              c: UnsafeMutableRawPointer) {
        let (m, n, k) = (product.m, product.n, product.k)
        let c = c.assumingMemoryBound(to: Float.self)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: n * m) { transposed in
            let t = transposed.baseAddress!
            gemm(transposeA: false, transposeB: true, m: n, n: m, k: k, alpha: 1, a: b.assumingMemoryBound(to: Float.self), lda: k,
                 b: a.assumingMemoryBound(to: Float.self), ldb: k, beta: 0, c: t, ldc: m)
            for i in 0..<m {
                if let bias {
                    for j in 0..<n { c[i * n + j] = t[j * m + i] + bias[j] }
                } else {
                    for j in 0..<n { c[i * n + j] = t[j * m + i] }
                }
            }
        }
    }

    /// oneDNN's element-wise backward primitive (`…_use_dst_for_bwd`: from the outputs).
    public static func multiplyByDerivative(of activation: Activation, _ delta: UnsafeMutablePointer<Float>,
                                            outputs a: UnsafePointer<Float>, count: Int) {
        guard activation != .identity, count > 0 else { return }
        DerivativePrimitive.cached(activation, count: count).run(outputs: a, delta: delta)
    }

    /// oneDNN's element-wise backward primitive on bfloat16 data (it computes in float32); the
    /// ReLU's, `δ ← a > 0 ? δ : 0·δ`, by `perceptron_relu_derivative_bf16` on the calling thread
    /// instead: its bits (but for a subnormal δ, which it keeps), in one pass of 9–14 µs for a batch
    /// of 128 × 800 or 128 × 1,024 inside a training step, where the primitive took 23–39 µs, much
    /// of it waking its threads (`bench/step_profile.py`, AMD EPYC Zen 4, 2026-12-04).
    public static func multiplyByDerivative(of activation: Activation, bfloat16 delta: UnsafeMutablePointer<UInt16>,
                                            outputs a: UnsafePointer<UInt16>, count: Int) {
        guard activation != .identity, count > 0 else { return }
        if activation == .relu { return perceptron_relu_derivative_bf16(delta, a, Int64(count)) }
        DerivativePrimitive.cached(activation, count: count, bf16: true).run(outputs: a, delta: delta)
    }

    /// `perceptron_add_and_round` without a rounding (AVX-512F where the CPU has it), split over
    /// the cores; below ``Parallel/minimumElements`` elements, on the calling thread (the same
    /// sums: waking the cores would cost more than the work). The update `θ ← θ + v` of fp32
    /// training: split in contiguous halves, it took 0.083 s of an epoch of B where oneDNN's
    /// binary primitive took 0.092 (`perceptron bench --arch B`, Intel Xeon family 6 model 207,
    /// 2 cores, 2026-12-06).
    public static func add(_ v: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachRange(count, with: (theta, v)) { p, range in
            let (theta, v) = p
            perceptron_add_and_round(theta + range.lowerBound, v + range.lowerBound, nil, Int64(range.count))
        }
    }

    public static var safetensorsType: String { "F32" }
}

extension Double: NetworkScalar {
    @inlinable public static func exp(_ x: Double) -> Double { libmExp(x) }
    @inlinable public static func log(_ x: Double) -> Double { libmLog(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { libmTanh(x) }

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        referenceGEMM(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// The reference loops: ``referenceProduct(_:a:b:bias:c:)``.
    public static func run(_ product: Product, a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Double>?,
                           c: UnsafeMutableRawPointer) {
        referenceProduct(product, a: a, b: b, bias: bias, c: c)
    }

    /// The activation's own derivative (``ActivationFunction/derivative(output:)``), element by element.
    public static func multiplyByDerivative(of activation: Activation, _ delta: UnsafeMutablePointer<Double>,
                                            outputs a: UnsafePointer<Double>, count: Int) {
        activation.multiplyByDerivative(delta, outputs: a, count: count)
    }

    /// The activation's own derivative of the widened values, rounded back to bfloat16.
    public static func multiplyByDerivative(of activation: Activation, bfloat16 delta: UnsafeMutablePointer<UInt16>,
                                            outputs a: UnsafePointer<UInt16>, count: Int) {
        let f = activation.function
        for i in 0..<count {
            let d = Double(float(bfloat16Bits: delta[i])) * f.derivative(output: Double(float(bfloat16Bits: a[i])))
            delta[i] = bfloat16Bits(Float(d))
        }
    }

    /// A loop.
    public static func add(_ v: UnsafePointer<Double>, to theta: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { theta[i] += v[i] }
    }

    public static var safetensorsType: String { "F64" }
}

// The C library's double-precision functions, named apart so the static requirements above can call them.
@usableFromInline func libmExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func libmLog(_ x: Double) -> Double { log(x) }
@usableFromInline func libmTanh(_ x: Double) -> Double { tanh(x) }
@usableFromInline func cosine(_ x: Double) -> Double { cos(x) }
