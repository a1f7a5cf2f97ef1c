import CKernels

/// bfloat16: the upper half of a float32 — its sign, its 8-bit exponent and the top 7 bits of its
/// significand — kept as the 16 bits.
///
/// ```
/// float32   s eeeeeeee mmmmmmm mmmmmmmmmmmmmmmm      1 + 8 + 23 bits
/// bfloat16  s eeeeeeee mmmmmmm                        1 + 8 + 7 bits: the same range, 3 significant digits
/// ```
/// Rounding to nearest, ties to even, on the bit pattern `b`: add `0x7FFF` plus the lowest bit that
/// is kept (`(b >> 16) & 1`), then keep the upper 16 bits. A carry out of the significand moves the
/// exponent up, as it should; the largest floats round to infinity. A NaN keeps its sign and upper
/// bits with the quiet bit set (adding to its pattern could turn it into infinity or zero).
/// No branch, and the NaN test on the bits (exponent all ones, significand not zero): a loop over
/// a buffer vectorises.
@inlinable @inline(__always)
public func bfloat16Bits(_ x: Float) -> UInt16 {
    let b = x.bitPattern
    let rounded = (b &+ 0x7FFF &+ ((b >> 16) & 1)) >> 16
    let isNaN = b & 0x7FFF_FFFF > 0x7F80_0000
    return UInt16(truncatingIfNeeded: isNaN ? (b >> 16) | 0x0040 : rounded)
}

/// The float32 a bfloat16 stands for: its 16 bits followed by 16 zero bits (exact).
@inlinable @inline(__always)
public func float(bfloat16Bits bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// A row-major matrix of bfloat16 values (their bit patterns): the operands of a ``Precision/bf16``
/// product, rounded from float32 matrices into buffers made once and reused.
public struct BFloat16Matrix: Equatable, Sendable {
    /// The number of rows, `shape[0]`.
    public let rows: Int
    /// The number of columns, `shape[1]`: the length of a row, and the stride between rows in ``bits``.
    public let columns: Int
    /// `bits[r * columns + c]` is row `r`, column `c`.
    public var bits: [UInt16]

    /// A `rows × columns` matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        bits = Array(repeating: 0, count: rows * columns)
    }

    /// A `rows × columns` matrix of these bits, row after row.
    public init(rows: Int, columns: Int, bits: [UInt16]) {
        precondition(bits.count == rows * columns, "[\(rows), \(columns)] needs \(rows * columns) values, not \(bits.count)")
        self.rows = rows
        self.columns = columns
        self.bits = bits
    }

    /// `matrix` rounded to bfloat16.
    public init<Scalar: NetworkScalar>(_ matrix: Matrix<Scalar>) {
        self.init(rows: matrix.rows, columns: matrix.columns)
        round(matrix)
    }

    /// `[rows, columns]`
    public var shape: [Int] { [rows, columns] }

    /// `self ← bf16(s·m)`, element by element, rounding to nearest even (`s = 1` unless given), with
    /// the bits of ``bfloat16Bits(_:)`` — subnormals, ties and NaNs included — whatever the size, so
    /// that the weights' copy a momentum update writes as it rounds and the one made here (a new
    /// network, a resumed run) are the same bits. `m` must have this matrix's shape. A `Float` matrix
    /// with `s = 1` is rounded by `perceptron_round` (AVX-512 where the CPU has it; not oneDNN's
    /// reorder, whose conversion instruction takes a subnormal float as zero), anything else as
    /// ``roundEachElement(_:scaledBy:)``; both over the cores from ``Parallel/minimumElements``
    /// elements, a smaller matrix on the calling thread.
    @_specialize(where Scalar == Float)
    public mutating func round<Scalar: NetworkScalar>(_ m: Matrix<Scalar>, scaledBy s: Scalar = 1) {
        precondition(m.shape == shape, "cannot round \(m.shape) into a bfloat16 matrix of \(shape)")
        let count = bits.count
        guard Scalar.self == Float.self, s == 1 else { return roundEachElement(m, scaledBy: s) }
        m.elements.withUnsafeBufferPointer { x in
            bits.withUnsafeMutableBufferPointer { y in
                x.withMemoryRebound(to: Float.self) { x in
                    guard let x = x.baseAddress, let y = y.baseAddress else { return }
                    Parallel.forEachRange(count, with: (x, y)) { p, range in
                        perceptron_round(p.0 + range.lowerBound, p.1 + range.lowerBound, Int64(range.count))
                    }
                }
            }
        }
    }

    /// `self ← bf16(s·m)` by ``bfloat16Bits(_:)`` (the Swift rounding, element by element, over the
    /// cores): with `s = 1`, the bits an update that rounds as it writes (``Momentum``) gives too.
    @_specialize(where Scalar == Float)
    public mutating func roundEachElement<Scalar: NetworkScalar>(_ m: Matrix<Scalar>, scaledBy s: Scalar = 1) {
        precondition(m.shape == shape, "cannot round \(m.shape) into a bfloat16 matrix of \(shape)")
        let count = bits.count
        m.elements.withUnsafeBufferPointer { x in
            bits.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                Parallel.forEachRange(count, with: (x, y, s)) { p, range in
                    let (x, y, s) = p
                    for i in range { y[i] = bfloat16Bits(Float(s * x[i])) }
                }
            }
        }
    }

    /// The values, widened exactly to another scalar type.
    public func converted<Scalar: NetworkScalar>(to: Scalar.Type = Scalar.self) -> Matrix<Scalar> {
        Matrix(rows: rows, columns: columns, elements: bits.map { Scalar(float(bfloat16Bits: $0)) })
    }
}

extension Matrix {
    /// `C ← op(A)·op(B) + β·C` with bfloat16 operands, accumulated in float32 (`Float`, on a oneDNN
    /// matmul primitive) or in `Double` (the reference product of the same bfloat16 values).
    ///
    /// Shapes: `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`.
    public static func multiply(
        _ a: BFloat16Matrix, _ b: BFloat16Matrix, transposeA: Bool = false, transposeB: Bool = false,
        into c: inout Matrix, beta: Scalar = 0
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
        let product = Product(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, precision: .bf16, beta: Double(beta))
        a.bits.withUnsafeBytes { a in
            b.bits.withUnsafeBytes { b in
                c.elements.withUnsafeMutableBufferPointer { product.run(a: a.baseAddress!, b: b.baseAddress!, bias: nil as UnsafePointer<Scalar>?, into: $0.baseAddress!) }
            }
        }
    }
}
