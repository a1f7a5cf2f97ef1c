import CKernels

/// A row-major matrix: `rows × columns` scalars, row after row.
///
/// A value type: assigning a matrix copies it (lazily, on the first write), so a network kept as the
/// best so far never changes when training goes on.
public struct Matrix<Scalar: NetworkScalar>: Equatable, Sendable {
    /// The number of rows, `shape[0]` (the examples, for a batch `[batch, features]`).
    public let rows: Int
    /// The number of columns, `shape[1]`: the length of a row, and the stride between rows in
    /// ``elements``.
    public let columns: Int
    /// The elements, `elements[r * columns + c]` is row `r`, column `c`.
    public var elements: [Scalar]

    /// A `rows × columns` matrix with every element `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "a matrix cannot have negative size [\(rows), \(columns)]")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix of the given elements, row after row.
    public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(elements.count == rows * columns, "[\(rows), \(columns)] needs \(rows * columns) elements, not \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix of the given rows, e.g. `Matrix([[1, 2], [3, 4]])`.
    public init(_ rowList: [[Scalar]]) {
        let columns = rowList.first?.count ?? 0
        precondition(rowList.allSatisfy { $0.count == columns }, "every row needs \(columns) elements")
        self.init(rows: rowList.count, columns: columns, elements: rowList.flatMap { $0 })
    }

    /// `[rows, columns]`
    public var shape: [Int] { [rows, columns] }

    /// `A[row, column]`, that is `elements[row * columns + column]`.
    public subscript(row: Int, column: Int) -> Scalar {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// The same elements converted to another scalar type.
    public func converted<Other: NetworkScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, columns: columns, elements: elements.map { Other($0) })
    }
}

extension Matrix {
    /// `C ← α·op(A)·op(B) + β·C`, where `op(X)` is `Xᵀ` when asked: the general product, for any
    /// use outside the engine's own passes (which run ``Product``s).
    ///
    /// Shapes: `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`. `Float` runs on oneDNN's
    /// `dnnl_sgemm`, `Double` on the reference product.
    public static func multiply(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        into c: inout Matrix, alpha: Scalar = 1, beta: Scalar = 0
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb && c.rows == m && c.columns == n,
                     "cannot multiply \(transposeA ? "Aᵀ" : "A") \(a.shape) by \(transposeB ? "Bᵀ" : "B") \(b.shape) into C \(c.shape)")
        if m == 0 || n == 0 { return }
        if k == 0 {  // an empty sum: C ← β·C
            for i in c.elements.indices { c.elements[i] = beta == 0 ? 0 : beta * c.elements[i] }
            return
        }
        a.elements.withUnsafeBufferPointer { a_ in
            b.elements.withUnsafeBufferPointer { b_ in
                c.elements.withUnsafeMutableBufferPointer { c_ in
                    Scalar.gemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                        alpha: alpha, a: a_.baseAddress!, lda: a.columns, b: b_.baseAddress!, ldb: b.columns,
                        beta: beta, c: c_.baseAddress!, ldc: c.columns)
                }
            }
        }
    }

    /// `A·B` as a new matrix.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        multiply(a, b, into: &c)
        return c
    }

    /// `A ← A + B`, element by element (``NetworkScalar/add(_:to:count:)``: for `Float`, a oneDNN
    /// primitive, vectorised for the CPU it runs on).
    public mutating func add(_ other: Matrix) {
        precondition(shape == other.shape, "cannot add \(other.shape) to \(shape)")
        let count = elements.count
        other.elements.withUnsafeBufferPointer { b in
            elements.withUnsafeMutableBufferPointer { a in
                guard let a = a.baseAddress, let b = b.baseAddress else { return }
                Scalar.add(b, to: a, count: count)
            }
        }
    }

    /// `A ← A + B`, element by element, and `r ← bf16(A)` where a rounding `r` is given (round to
    /// nearest even, as ``bfloat16Bits(_:)``): in `Float`, in one pass that writes both
    /// (`perceptron_add_and_round`, split over the cores) — the momentum update of weights whose
    /// bfloat16 copy the next step's products read; in `Double`, the addition, then the rounding.
    @_specialize(where Scalar == Float)
    public mutating func add(_ other: Matrix, rounding r: inout BFloat16Matrix?) {
        guard Scalar.self == Float.self, var rounded = r else {
            add(other)
            r?.round(self)
            return
        }
        precondition(shape == other.shape && shape == rounded.shape, "cannot add \(other.shape) to \(shape) rounding into \(rounded.shape)")
        r = nil  // `rounded` alone holds its buffer
        let count = elements.count
        other.elements.withUnsafeBufferPointer { v in
            elements.withUnsafeMutableBufferPointer { θ in
                rounded.bits.withUnsafeMutableBufferPointer { bits in
                    guard let v = v.baseAddress, let θ = θ.baseAddress, let bits = bits.baseAddress else { return }
                    let (vf, θf) = (UnsafeRawPointer(v).assumingMemoryBound(to: Float.self),
                                    UnsafeMutableRawPointer(θ).assumingMemoryBound(to: Float.self))
                    Parallel.forEachRange(count, with: (θf, vf, bits)) { p, range in
                        let (θ, v, bits) = p
                        perceptron_add_and_round(θ + range.lowerBound, v + range.lowerBound, bits + range.lowerBound, Int64(range.count))
                    }
                }
            }
        }
        r = rounded
    }

    /// `A ← A ⊙ B`, element by element.
    @_specialize(where Scalar == Float)
    public mutating func multiplyElementwise(by other: Matrix) {
        precondition(shape == other.shape, "cannot multiply \(shape) by \(other.shape) element-wise")
        let count = elements.count
        other.elements.withUnsafeBufferPointer { b in
            elements.withUnsafeMutableBufferPointer { a in
                for i in 0..<count { a[i] *= b[i] }
            }
        }
    }

    /// `A ← α·A`, element by element.
    @_specialize(where Scalar == Float)
    public mutating func scale(by alpha: Scalar) {
        let count = elements.count
        elements.withUnsafeMutableBufferPointer { x in
            guard let x = x.baseAddress else { return }
            Parallel.forEachRange(count, with: (x, alpha)) { p, range in
                let (x, alpha) = p
                for i in range { x[i] *= alpha }
            }
        }
    }

    /// How a step moved a matrix from `before` to `after`, `Δ = after − before` (Frobenius norms and
    /// inner products, summed in `Double`):
    /// ```
    /// relative  = ‖Δ‖ / ‖before‖              how far, for its size
    /// shrinkage = ⟨Δ, −before⟩ / ‖before‖²     the share of `before` the step takes away along itself
    /// ```
    /// (both 0 when `before` is zero). A step `after = c·before` has shrinkage `1 − c`; a gradient step
    /// of a healthy run, nearly orthogonal to the weights, about 0.
    @_specialize(where Scalar == Float)
    public static func change(from before: Matrix, to after: Matrix) -> (relative: Double, shrinkage: Double) {
        precondition(before.shape == after.shape, "cannot compare \(before.shape) with \(after.shape)")
        var change = 0.0, size = 0.0, inner = 0.0
        before.elements.withUnsafeBufferPointer { b in
            after.elements.withUnsafeBufferPointer { a in
                for i in 0..<b.count {
                    let d = Double(a[i]) - Double(b[i])
                    change += d * d
                    size += Double(b[i]) * Double(b[i])
                    inner -= d * Double(b[i])
                }
            }
        }
        guard size > 0 else { return (0, 0) }
        return ((change / size).squareRoot(), inner / size)
    }

    /// `Aᵀ`
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for r in 0..<rows { for c in 0..<columns { t[c, r] = self[r, c] } }
        return t
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let shown = (0..<min(rows, 6)).map { r in
            (0..<min(columns, 8)).map { c in "\(self[r, c])" }.joined(separator: " ") + (columns > 8 ? " …" : "")
        }
        return "Matrix \(shape)\n" + shown.joined(separator: "\n") + (rows > 6 ? "\n…" : "")
    }
}
