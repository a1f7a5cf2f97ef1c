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

/// The textbook loops of one ``Product``, `C ← f(op(A)·op(B) + b) + β·C`: every `Double` product
/// (the gradient checks), and the oracle the tests hold oneDNN's matmul primitives against.
/// bfloat16 operands are widened exactly; the sums run in `Scalar`; a bfloat16 result is rounded
/// from them.
public func referenceProduct<Scalar: NetworkScalar>(
    _ product: Product, a: UnsafeRawPointer, b: UnsafeRawPointer, bias: UnsafePointer<Scalar>?, c: UnsafeMutableRawPointer
) {
    let (m, n, k, lda, ldb) = (product.m, product.n, product.k, product.lda, product.ldb)
    let beta = Scalar(product.beta)
    let f = product.activation.function
    func element(_ x: UnsafeRawPointer, _ index: Int) -> Scalar {
        product.precision == .bf16
            ? Scalar(float(bfloat16Bits: x.load(fromByteOffset: 2 * index, as: UInt16.self)))
            : x.load(fromByteOffset: index * MemoryLayout<Scalar>.stride, as: Scalar.self)
    }
    for i in 0..<m {
        for j in 0..<n {
            var sum: Scalar = 0
            for p in 0..<k {
                let aip = element(a, product.transposeA ? p * lda + i : i * lda + p)
                let bpj = element(b, product.transposeB ? j * ldb + p : p * ldb + j)
                sum += aip * bpj
            }
            let value = f.value(sum + (product.bias ? bias![j] : 0))
            if product.bf16Result {
                c.storeBytes(of: bfloat16Bits(Float(value)), toByteOffset: 2 * (i * n + j), as: UInt16.self)
                continue
            }
            let cij = c.assumingMemoryBound(to: Scalar.self) + i * n + j
            // β = 0 overwrites C, as BLAS does: whatever C held (even NaN) is not read.
            cij.pointee = beta == 0 ? value : value + beta * cij.pointee
        }
    }
}
