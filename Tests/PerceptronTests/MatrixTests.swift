import Perceptron
import Testing

@Suite("Matrix")
struct MatrixTests {
    @Test("adding and rounding in one pass gives the bits of θ + v and of bfloat16Bits(θ + v), and adding alone those of θ + v, leaving v alone: ties, NaN, infinity, subnormals, large and small matrices",
          arguments: [37, 70_003])
    func addAndRound(count: Int) {
        var theta: Matrix<Float> = randomMatrix(1, count, seed: 40, in: -4...4)
        let v: Matrix<Float> = randomMatrix(1, count, seed: 41, in: -1...1)
        // Exact ties (…8000 below the kept bits, odd and even), a NaN, ±∞, a subnormal, the largest float.
        let special: [Float] = [Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), .nan, .infinity,
                                -.infinity, Float(bitPattern: 0x0040_0000), .greatestFiniteMagnitude]
        for (i, x) in special.enumerated() { theta.elements[i * 5] = x }
        var zeroed = v
        for i in special.indices { zeroed.elements[i * 5] = 0 }
        var expected = theta
        for i in expected.elements.indices { expected.elements[i] += zeroed.elements[i] }
        var rounded: BFloat16Matrix? = BFloat16Matrix(rows: 1, columns: count)
        theta.add(zeroed, rounding: &rounded)
        #expect(theta.elements.map(\.bitPattern) == expected.elements.map(\.bitPattern))
        #expect(rounded!.bits == expected.elements.map(bfloat16Bits))
        var none: BFloat16Matrix?
        let addedBits = zeroed.elements.map(\.bitPattern)  // a copy of v's bits, not its shared buffer
        theta.add(zeroed, rounding: &none)  // no rounding asked: only the sum (the fp32 update)
        for i in expected.elements.indices { expected.elements[i] += zeroed.elements[i] }
        #expect(none == nil)
        #expect(theta.elements.map(\.bitPattern) == expected.elements.map(\.bitPattern))
        #expect(zeroed.elements.map(\.bitPattern) == addedBits)
    }

    @Test("elements are stored row after row")
    func rowMajorLayout() {
        var m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(m.shape == [2, 3])
        #expect(m.elements == [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4)
        #expect(m[0, 2] == 3)
        m[1, 2] = 60
        #expect(m.elements[1 * 3 + 2] == 60)
        #expect(Matrix<Float>(rows: 2, columns: 2, repeating: 7).elements == [7, 7, 7, 7])
    }

    @Test("transposed swaps rows and columns, and twice gives the matrix back")
    func transposed() {
        let m = Matrix<Float>([[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(m.transposed.transposed == m)
        #expect(Matrix<Float>(rows: 1, columns: 4, elements: [1, 2, 3, 4]).transposed.shape == [4, 1])
    }

    @Test("the * operator multiplies as by hand, in Float (oneDNN) and Double (reference)")
    func productByHand() {
        // [1 2 3]   [ 7  8]   [1·7+2·9+3·11  1·8+2·10+3·12]   [ 58  64]
        // [4 5 6] · [ 9 10] = [4·7+5·9+6·11  4·8+5·10+6·12] = [139 154]
        //           [11 12]
        let a: [[Double]] = [[1, 2, 3], [4, 5, 6]]
        let b: [[Double]] = [[7, 8], [9, 10], [11, 12]]
        #expect(Matrix(a) * Matrix(b) == Matrix([[58, 64], [139, 154]]))
        let af = Matrix(a).converted(to: Float.self), bf = Matrix(b).converted(to: Float.self)
        #expect(af * bf == Matrix<Float>([[58, 64], [139, 154]]))
        #expect((bf * af).shape == [3, 3])
    }

    @Test("converting Float to Double and back is exact")
    func conversion() {
        let m = randomMatrix(3, 4, seed: 1, as: Float.self)
        let d: Matrix<Double> = m.converted()
        #expect(d.elements == m.elements.map(Double.init))
        #expect(d.converted(to: Float.self) == m)
    }

    static let shapes: [(m: Int, k: Int, n: Int)] = [(7, 13, 5), (1, 1, 1), (5, 1, 9), (16, 33, 17), (64, 65, 3)]
    static let transposes: [(Bool, Bool)] = [(false, false), (true, false), (false, true), (true, true)]

    @Test("oneDNN sgemm equals the reference GEMM for every transpose, α and β",
          arguments: shapes.indices, transposes.indices)
    func sgemmMatchesReference(shapeIndex: Int, transposeIndex: Int) {
        let (m, k, n) = Self.shapes[shapeIndex]
        let (ta, tb) = Self.transposes[transposeIndex]
        let seed = UInt64(100 * shapeIndex + 10 * transposeIndex)
        // Stored shapes: A is [k, m] when transposed, B is [n, k] when transposed.
        let a = ta ? randomMatrix(k, m, seed: seed, as: Float.self) : randomMatrix(m, k, seed: seed, as: Float.self)
        let b = tb ? randomMatrix(n, k, seed: seed + 1, as: Float.self) : randomMatrix(k, n, seed: seed + 1, as: Float.self)
        let c0 = randomMatrix(m, n, seed: seed + 2, as: Float.self)
        for (alpha, beta) in [(Float(1), Float(0)), (1, 1), (-0.5, 2), (2.5, -1.25)] {
            var viaOneDNN = c0
            Matrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &viaOneDNN, alpha: alpha, beta: beta)
            // The oracle, in Double on the same (Float-exact) values.
            var expected = c0.converted(to: Double.self)
            let ad = a.converted(to: Double.self), bd = b.converted(to: Double.self)
            ad.elements.withUnsafeBufferPointer { ap in
                bd.elements.withUnsafeBufferPointer { bp in
                    expected.elements.withUnsafeMutableBufferPointer { cp in
                        referenceGEMM(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: Double(alpha),
                                      a: ap.baseAddress!, lda: a.columns, b: bp.baseAddress!, ldb: b.columns,
                                      beta: Double(beta), c: cp.baseAddress!, ldc: n)
                    }
                }
            }
            // Every term is at most |α|·1 + |β|·1 in size; Float rounding over k terms stays far below 1e-4·k.
            let tolerance = 1e-5 * Double(k + 1) * 4
            #expect(maxDifference(viaOneDNN.converted(to: Double.self), expected) < tolerance,
                    "m \(m) k \(k) n \(n) Aᵀ \(ta) Bᵀ \(tb) α \(alpha) β \(beta)")
        }
    }

    @Test("Float and Double products agree (oneDNN against the reference path)")
    func floatMatchesDouble() {
        let a = randomMatrix(9, 12, seed: 7, as: Double.self)
        let b = randomMatrix(12, 4, seed: 8, as: Double.self)
        let viaDouble = a * b
        let viaFloat = (a.converted(to: Float.self) * b.converted(to: Float.self)).converted(to: Double.self)
        #expect(maxDifference(viaFloat, viaDouble) < 1e-5)
    }

    @Test("β = 0 overwrites C without reading it, even when C holds NaN")
    func betaZeroIgnoresC() {
        let a = randomMatrix(3, 4, seed: 11, as: Float.self)
        let b = randomMatrix(4, 2, seed: 12, as: Float.self)
        var c = Matrix<Float>(rows: 3, columns: 2, repeating: .nan)
        Matrix.multiply(a, b, into: &c)
        #expect(c.elements.allSatisfy { $0.isFinite })
        #expect(isClose(c.converted(to: Double.self), (a.converted(to: Double.self) * b.converted(to: Double.self)),
                        relative: 1e-5, absolute: 1e-5))
        var d = Matrix<Double>(rows: 3, columns: 2, repeating: .nan)
        Matrix.multiply(a.converted(), b.converted(), into: &d)
        #expect(d.elements.allSatisfy { $0.isFinite })
    }

    @Test("k = 0 is an empty sum: C ← β·C", arguments: [Float(0), 1, -2])
    func emptyInnerDimension(beta: Float) {
        let a = Matrix<Float>(rows: 3, columns: 0)
        let b = Matrix<Float>(rows: 0, columns: 2)
        var c = Matrix<Float>([[1, 2], [3, 4], [5, .nan]])
        Matrix.multiply(a, b, into: &c, alpha: 3, beta: beta)
        if beta == 0 {
            #expect(c == Matrix(rows: 3, columns: 2, repeating: 0))
        } else {
            #expect(Array(c.elements.prefix(5)) == [1, 2, 3, 4, 5].map { $0 * beta })
            #expect(c.elements[5].isNaN)
        }
        #expect((a * b) == Matrix(rows: 3, columns: 2, repeating: 0))
        // The transposed spellings of k = 0 too.
        var t = Matrix<Float>(rows: 3, columns: 2, repeating: 9)
        Matrix.multiply(Matrix(rows: 0, columns: 3), Matrix(rows: 2, columns: 0), transposeA: true, transposeB: true,
                        into: &t, beta: beta)
        #expect(t == Matrix(rows: 3, columns: 2, repeating: 9 * beta))
    }

    @Test("an empty result (m = 0 or n = 0) is left alone")
    func emptyResult() {
        var c = Matrix<Float>(rows: 0, columns: 5)
        Matrix.multiply(Matrix(rows: 0, columns: 3), randomMatrix(3, 5, seed: 1), into: &c)
        #expect(c.shape == [0, 5])
        var d = Matrix<Double>(rows: 4, columns: 0)
        Matrix.multiply(randomMatrix(4, 3, seed: 2), Matrix(rows: 3, columns: 0), into: &d)
        #expect(d.shape == [4, 0])
    }

    @Test("multiplying mismatched shapes stops the program instead of reading past a buffer")
    func mismatchedShapesTrap() async {
        await #expect(processExitsWith: .failure) {
            var c = Matrix<Float>(rows: 2, columns: 2)
            Matrix.multiply(Matrix<Float>(rows: 2, columns: 3), Matrix<Float>(rows: 2, columns: 2), into: &c)
        }
    }

    @Test("copies are independent values")
    func valueSemantics() {
        let original = Matrix<Float>([[1, 2], [3, 4]])
        var copy = original
        Matrix.multiply(original, original, into: &copy)
        #expect(original == Matrix([[1, 2], [3, 4]]))
        #expect(copy == Matrix([[7, 10], [15, 22]]))
    }
}
