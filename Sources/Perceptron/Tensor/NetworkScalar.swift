#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scalars a network computes with.
///
/// `Float` trains (its matrix products run on oneDNN's `dnnl_sgemm`); `Double` checks gradients
/// against finite differences (its products run on the plain ``referenceGEMM(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``).
/// All the numeric code is generic over this protocol.
public protocol NetworkScalar: BinaryFloatingPoint, Codable, Sendable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
    /// eˣ
    static func exp(_ x: Self) -> Self
    /// ln x
    static func log(_ x: Self) -> Self
    /// tanh x
    static func tanh(_ x: Self) -> Self

    /// `C ← α·op(A)·op(B) + β·C`, all row-major; `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// `C ← op(A)·op(B) + β·C` with bfloat16 operands (their bit patterns), accumulated in this type;
    /// row-major, `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`.
    static func gemmBF16(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<UInt16>, lda: Int, b: UnsafePointer<UInt16>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

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

    public static func gemmBF16(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<UInt16>, lda: Int, b: UnsafePointer<UInt16>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        OneDNN.gemmBF16(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
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

    /// The exact products of the bfloat16 values, summed in `Double` (the reference GEMM's loops).
    public static func gemmBF16(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<UInt16>, lda: Int, b: UnsafePointer<UInt16>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        func wide(_ bits: UInt16) -> Double { Double(float(bfloat16Bits: bits)) }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let aip = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += wide(aip) * wide(bpj)
                }
                c[i * ldc + j] = beta == 0 ? sum : sum + beta * c[i * ldc + j]
            }
        }
    }

    public static var safetensorsType: String { "F64" }
}

// The C library's double-precision functions, named apart so the static requirements above can call them.
@usableFromInline func libmExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func libmLog(_ x: Double) -> Double { log(x) }
@usableFromInline func libmTanh(_ x: Double) -> Double { tanh(x) }
@usableFromInline func cosine(_ x: Double) -> Double { cos(x) }
