import Foundation
import Perceptron
@testable import PerceptronServer
import Testing

@Suite struct DigitReaderTests {
    @Test(arguments: [Activation.relu, .sigmoid, .tanh])
    func agreesWithTheNetwork(_ activation: Activation) throws {
        let network = tinyNetwork(activation: activation, sizes: [784, 16, 12, 10])
        let reader = try DigitReader(network: network)
        var generator = SplitMix64(seed: 3)
        let sparse = ringPixels().map(Float.init)
        let dense = (0..<784).map { _ in Float.random(in: 0...1, using: &generator) }
        for input in [sparse, dense, [Float](repeating: 0, count: 784)] {
            let expected = network.probabilities(Matrix(rows: 1, columns: 784, elements: input)).elements
            let actual = reader.probabilities(of: input)
            #expect(actual.count == 10)
            for (a, e) in zip(actual, expected) { #expect(abs(a - e) < 1e-5) }
            #expect(abs(actual.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func bytesAreDividedBy255() throws {
        let reader = try DigitReader(network: tinyNetwork())
        let bytes = (0..<784).map { UInt8($0 % 256) }
        #expect(reader.probabilities(ofBytes: bytes) == reader.probabilities(of: bytes.map { Float($0) / 255 }))
    }

    @Test func refusesNetworksThatDoNotReadDigits() {
        #expect(throws: ServeError.self) { try DigitReader(network: tinyNetwork(sizes: [100, 10])) }
        #expect(throws: ServeError.self) { try DigitReader(network: tinyNetwork(sizes: [784, 5])) }
    }

    @Test func digitIsTheMostProbable() {
        #expect(DigitReader.digit(of: [0.1, 0.5, 0.4]) == 1)
        #expect(DigitReader.digit(of: [0.5, 0.5]) == 0)
    }
}
