import Foundation
import Perceptron
import Testing

@Suite("Initializer")
struct InitializerTests {
    static func sample(_ initializer: Initializer, rows: Int, columns: Int, seed: UInt64 = 1) -> [Double] {
        var generator = SplitMix64(seed: seed)
        let w: Matrix<Double> = initializer.weights(rows: rows, columns: columns, using: &generator)
        #expect(w.shape == [rows, columns])
        return w.elements
    }

    static func meanAndStandardDeviation(_ values: [Double]) -> (Double, Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    @Test("Glorot draws from U(−r, r), r = √(6 / (in + out)), and fills the range")
    func glorotBounds() {
        // [out, in] = [20, 30]: r = √(6 / 50)
        let r = (6.0 / 50).squareRoot()
        let w = Self.sample(.glorot, rows: 20, columns: 30)
        #expect(w.allSatisfy { abs($0) <= r })
        #expect(w.max()! > 0.95 * r && w.min()! < -0.95 * r)
        let (mean, sd) = Self.meanAndStandardDeviation(w)
        #expect(abs(mean) < 0.1 * r)
        #expect(isClose(sd, r / 3.squareRoot(), relative: 0.1))  // the std of U(−r, r)
        // A different shape, a different bound: r = √(6 / 8) for 3 × 5.
        let small = Self.sample(.glorot, rows: 3, columns: 5)
        #expect(small.allSatisfy { abs($0) <= (6.0 / 8).squareRoot() })
    }

    @Test("He draws from N(0, √(2 / in))")
    func heStandardDeviation() {
        // in = 200: σ = 0.1; 40,000 samples put the sample std within 1 % with overwhelming probability.
        let w = Self.sample(.he, rows: 200, columns: 200)
        let (mean, sd) = Self.meanAndStandardDeviation(w)
        #expect(isClose(sd, (2.0 / 200).squareRoot(), relative: 0.03))
        #expect(abs(mean) < 0.003)
        // σ depends on the inputs, not the outputs: in = 50 gives 0.2.
        let (_, sd50) = Self.meanAndStandardDeviation(Self.sample(.he, rows: 800, columns: 50))
        #expect(isClose(sd50, 0.2, relative: 0.03))
    }

    @Test("normal(μ, σ) samples have mean μ and std σ")
    func normalStatistics() {
        let w = Self.sample(.normal(mean: -0.1, standardDeviation: 0.02), rows: 100, columns: 200)
        let (mean, sd) = Self.meanAndStandardDeviation(w)
        #expect(abs(mean - -0.1) < 0.001)
        #expect(isClose(sd, 0.02, relative: 0.03))
    }

    @Test("uniform(l, h) samples stay in [l, h) and fill it")
    func uniformBounds() {
        let w = Self.sample(.uniform(low: -1, high: 1), rows: 50, columns: 100)
        #expect(w.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(w.min()! < -0.99 && w.max()! > 0.99)
        #expect(abs(Self.meanAndStandardDeviation(w).0) < 0.03)
        let shifted = Self.sample(.uniform(low: 2, high: 3), rows: 10, columns: 100)
        #expect(shifted.allSatisfy { $0 >= 2 && $0 < 3 })
    }

    @Test("the same seed draws the same weights, another seed others")
    func determinism() {
        #expect(Self.sample(.he, rows: 4, columns: 5, seed: 9) == Self.sample(.he, rows: 4, columns: 5, seed: 9))
        #expect(Self.sample(.he, rows: 4, columns: 5, seed: 9) != Self.sample(.he, rows: 4, columns: 5, seed: 10))
    }

    @Test("the standard initializer is He for ReLU and Glorot otherwise")
    func standard() {
        #expect(Initializer.standard(for: .relu) == .he)
        #expect(Initializer.standard(for: .sigmoid) == .glorot)
        #expect(Initializer.standard(for: .tanh) == .glorot)
    }

    @Test("command-line texts parse", arguments: [
        ("glorot", Initializer.glorot), ("he", .he), ("Glorot", .glorot), ("xavier", .glorot), ("kaiming", .he),
        ("normal:-0.1,0.02", .normal(mean: -0.1, standardDeviation: 0.02)),
        ("uniform:-1,1", .uniform(low: -1, high: 1)),
        ("normal:0,0", .normal(mean: 0, standardDeviation: 0)),
        ("uniform:3,3", .uniform(low: 3, high: 3)),
    ])
    func parses(text: String, expected: Initializer) {
        #expect(Initializer(text) == expected)
    }

    @Test("malformed texts are rejected", arguments: [
        "normal:1", "uniform:2,1", "bogus", "", "normal", "he:1", "glorot:0,1", "normal:0,-1", "normal:0,inf",
        "normal:nan,1", "uniform:-inf,0", "uniform:a,b", "normal:1,2,3",
    ])
    func rejects(text: String) {
        #expect(Initializer(text) == nil)
    }

    @Test("texts with a non-number among the parameters are rejected, not read around", arguments: [
        "normal:0,abc,1", "uniform:-1,x,1", "normal:0,,1",
    ])
    func rejectsNonNumbers(text: String) {
        // `normal:MEAN,STD` has exactly two numbers; dropping the word that is not one reads a typo as a valid initializer.
        #expect(Initializer(text) == nil, "'\(text)' was read as \(String(describing: Initializer(text)))")
    }

    @Test("the description is the command-line text, and parses back", arguments: [
        Initializer.glorot, .he, .normal(mean: -0.1, standardDeviation: 0.02), .uniform(low: -1, high: 1),
        .normal(mean: 1e-5, standardDeviation: 3e-7),
    ])
    func descriptionRoundTrip(initializer: Initializer) {
        #expect(Initializer(initializer.description) == initializer)
    }

    @Test("descriptions by example")
    func descriptions() {
        #expect(Initializer.glorot.description == "glorot")
        #expect(Initializer.normal(mean: -0.1, standardDeviation: 0.02).description == "normal:-0.1,0.02")
        #expect(Initializer.uniform(low: -1, high: 1).description == "uniform:-1.0,1.0")
    }

    @Test("Codable: encoded as its text, decoded back; a bad text fails to decode")
    func codableRoundTrip() throws {
        let all: [Initializer] = [.glorot, .he, .normal(mean: -0.1, standardDeviation: 0.02), .uniform(low: -1, high: 1)]
        let data = try JSONEncoder().encode(all)
        #expect(String(decoding: data, as: UTF8.self) == #"["glorot","he","normal:-0.1,0.02","uniform:-1.0,1.0"]"#)
        #expect(try JSONDecoder().decode([Initializer].self, from: data) == all)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Initializer].self, from: Data(#"["bogus"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Initializer].self, from: Data(#"["normal:1"]"#.utf8)) }
    }
}
