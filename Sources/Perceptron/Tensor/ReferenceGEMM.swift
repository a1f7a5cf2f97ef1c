/// The textbook matrix product, `C ← α·op(A)·op(B) + β·C` (row-major; `op(A)` is `[m, k]`, `op(B)` is `[k, n]`).
///
/// Three loops and nothing else: slow, obviously right. It computes every `Double` product (gradient
/// checks) and is the oracle the tests hold oneDNN's `dnnl_sgemm` against.
public func referenceGEMM<Scalar: BinaryFloatingPoint>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Scalar, a: UnsafePointer<Scalar>, lda: Int,
    b: UnsafePointer<Scalar>, ldb: Int,
    beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Scalar = 0
            for p in 0..<k {
                let aip = transposeA ? a[p * lda + i] : a[i * lda + p]
                let bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                sum += aip * bpj
            }
            // β = 0 overwrites C, as BLAS does: whatever C held (even NaN) is not read.
            c[i * ldc + j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i * ldc + j]
        }
    }
}
