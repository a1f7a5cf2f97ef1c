/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seedable generator.
///
/// Every random choice in training (initial weights, the validation/test split, the order of the
/// examples) comes from generators of this type seeded from the run's one seed, so the same seed
/// gives the same run. Swift's `SystemRandomNumberGenerator` cannot be seeded, and its bounded
/// helpers may change between Swift versions, so the helpers below are our own too.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// `s`, the 64-bit state: the seed plus `k·0x9E3779B97F4A7C15` (mod 2⁶⁴) after `k` draws; a
    /// generator made with it as the seed goes on from here.
    public private(set) var state: UInt64

    /// A generator whose state starts at `seed`: the same seed gives the same sequence.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits: `s ← s + 0x9E3779B97F4A7C15`, then from `z = s`,
    /// `z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9`, `z ← (z ⊕ z≫27)·0x94D049BB133111EB`, and `z ⊕ z≫31`
    /// (all mod 2⁶⁴).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for one purpose of a run ("init", "split", "shuffle" …),
    /// so that adding a random draw in one place does not change the others.
    public func stream(_ purpose: String) -> SplitMix64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the purpose's bytes
        for byte in purpose.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var mixer = SplitMix64(seed: state ^ hash)
        return SplitMix64(seed: mixer.next())
    }
}

extension RandomNumberGenerator {
    /// A uniform double in [0, 1): the top 53 bits of one draw.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject method, unbiased).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "no index below \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A normal deviate with the given mean and standard deviation (Box–Muller).
    public mutating func nextNormal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        let u1 = 1 - nextUnitDouble()  // (0, 1]: the logarithm stays finite
        let u2 = nextUnitDouble()
        let radius = (-2 * libmLog(u1)).squareRoot()
        return mean + standardDeviation * radius * cosine(2 * Double.pi * u2)
    }
}

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher–Yates shuffle with our own bounded draw, so a seed means the same order everywhere.
    public mutating func shuffle(with generator: inout some RandomNumberGenerator) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = generator.nextIndex(below: i + 1)
            swapAt(startIndex + i, startIndex + j)
        }
    }
}
