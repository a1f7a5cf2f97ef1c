import Foundation
import Perceptron
import Testing

/// `NetworkScalar.exp`, which sigmoid and softmax are built on.
@Suite("Exponential")
struct ExponentialTests {
    @Test("Float.exp is accurate to a few ulps wherever eˣ is a normal float")
    func floatAccuracy() {
        var worst = 0.0
        var worstAt: Float = 0
        for i in 0...17_500 {
            let x = Float(-87 + Double(i) * 0.01)  // −87 … 88
            let error = abs(Double(Float.exp(x)) - Foundation.exp(Double(x))) / Foundation.exp(Double(x))
            if error > worst { (worst, worstAt) = (error, x) }
        }
        #expect(worst < 1e-6, "relative error \(worst) at x = \(worstAt)")
        #expect(Float.exp(0) == 1)
    }

    @Test("Float.exp of a very negative number is 0 or a tiny positive number, of NaN is NaN")
    func floatEdges() {
        for x: Float in [-1000, -200, -.infinity] {
            let e = Float.exp(x)
            #expect(e >= 0 && e < 1e-37, "exp(\(x)) = \(e)")
        }
        #expect(Float.exp(.nan).isNaN)
        #expect(Float.exp(-88) <= Float.exp(-87))
    }

    @Test("Double.exp, log and tanh are the C library's")
    func doubleFunctions() {
        for x in [-700.0, -3, -0.5, 0, 1, 20, 700] {
            #expect(Double.exp(x) == Foundation.exp(x))
            #expect(Double.tanh(x) == Foundation.tanh(x))
        }
        #expect(Double.exp(-1000) == 0)
        #expect(Double.log(Foundation.exp(2.5)) == Foundation.log(Foundation.exp(2.5)))
        #expect(isClose(Double(Float.log(8)), Foundation.log(8.0), relative: 1e-7))
    }
}
