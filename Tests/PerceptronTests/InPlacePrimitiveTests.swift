@testable import Perceptron
import Testing

/// The shim's in-place primitive over contiguous float32 values: the scaling that a large `β·C`
/// of oneDNN's gemm runs apart (``MatmulPrimitive``).
@Suite("oneDNN's in-place element-wise primitive")
struct InPlacePrimitiveTests {
    /// 70,001 values (not a multiple of any vector width), normal, with 0 and −0 among them.
    static func values(seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        var values = (0..<70_001).map { _ in Float(generator.nextNormal(standardDeviation: 3)) }
        values[7] = 0
        values[8] = -0.0
        return values
    }

    @Test("the scaling x ← s·x writes Float's own product s·x for every element")
    func scaling() {
        for scale: Float in [0.9, -0.5, 1e-3] {
            var x = Self.values(seed: 1)
            let expected = x.map { scale * $0 }
            let primitive = ScalingPrimitive(count: x.count, scale: scale)
            x.withUnsafeMutableBufferPointer { primitive.run($0.baseAddress!) }
            #expect(x == expected, "scale \(scale)")
        }
    }
}
