/// The part of a product `C ← α·op(A)·op(B) + β·C` that can be nonzero, when its operands are known
/// to be zero elsewhere — a first layer's input, say, whose outer pixel columns are zero in every
/// image of the batch.
///
/// ```
/// terms     k ∈ terms:    op(A)[:, k] or op(B)[k, :] is zero outside, so the sum runs over terms only
/// columns   j ∈ columns:  op(B)[:, j] is zero outside, so C[:, j] ← β·C[:, j] there
/// ```
/// The product over the window is the whole product: it only skips multiplying zeros. The window
/// moves the operands' pointers (`offsets`); their strides stay those of the whole matrices.
struct ProductWindow: Equatable, Sendable {
    var terms: Range<Int>
    var columns: Range<Int>

    /// The window of a product with `k` terms and `n` columns; `nil` is everything.
    init(k: Int, n: Int, terms: Range<Int>? = nil, columns: Range<Int>? = nil) {
        self.terms = (terms ?? 0..<k).clamped(to: 0..<k)
        self.columns = (columns ?? 0..<n).clamped(to: 0..<n)
    }

    /// Where the window starts in each operand (elements from its first), for row-major A, B, C
    /// with row strides `lda`, `ldb` and C's own.
    func offsets(transposeA: Bool, lda: Int, transposeB: Bool, ldb: Int) -> (a: Int, b: Int, c: Int) {
        let k0 = terms.lowerBound, j0 = columns.lowerBound
        let a = transposeA ? k0 * lda : k0                      // op(A)[i, k] = A[i, k] or A[k, i]
        let b = transposeB ? k0 + j0 * ldb : k0 * ldb + j0      // op(B)[k, j] = B[k, j] or B[j, k]
        return (a, b, j0)
    }

    /// `C[:, j] ← β·C[:, j]` for the columns outside the window (0 where `β = 0`, whatever C held).
    func scaleOutsideColumns<Scalar: NetworkScalar>(of c: inout Matrix<Scalar>, by beta: Scalar) {
        Self.scale(&c, columns: 0 ..< columns.lowerBound, by: beta)
        Self.scale(&c, columns: columns.upperBound ..< c.columns, by: beta)
    }

    /// `C[:, j] ← β·C[:, j]` for the columns inside the window.
    func scaleColumns<Scalar: NetworkScalar>(of c: inout Matrix<Scalar>, by beta: Scalar) {
        Self.scale(&c, columns: columns, by: beta)
    }

    private static func scale<Scalar: NetworkScalar>(_ c: inout Matrix<Scalar>, columns: Range<Int>, by beta: Scalar) {
        guard !columns.isEmpty else { return }
        let (rows, width) = (c.rows, c.columns)
        c.elements.withUnsafeMutableBufferPointer { c in
            guard let c = c.baseAddress else { return }
            for i in 0..<rows {
                let row = c + i * width
                for j in columns { row[j] = beta == 0 ? 0 : beta * row[j] }
            }
        }
    }
}
