import Perceptron
import Testing

@Suite("Max-norm")
struct MaxNormTests {
    /// A 3-2 layer whose rows have lengths 5 (3, 4, 0) and 1 (0.6, 0.8, 0).
    static func network() -> Network<Double> {
        Network(layers: [Dense(weight: Matrix(rows: 2, columns: 3, elements: [3, 4, 0, 0.6, 0.8, 0]),
                               bias: Matrix(rows: 1, columns: 2, elements: [7, -9]), activation: .identity)])
    }

    @Test("a row longer than c is scaled back to length c, keeping its direction")
    func longRowsShrink() {
        var network = Self.network()
        MaxNorm(limit: 2).apply(to: &network)
        #expect(isClose(network.layers[0].weight, Matrix(rows: 2, columns: 3, elements: [1.2, 1.6, 0, 0.6, 0.8, 0])))
    }

    @Test("rows within c and the biases are left exactly as they were")
    func shortRowsAndBiasesStay() {
        var network = Self.network()
        MaxNorm(limit: 5).apply(to: &network)
        #expect(network.layers[0].weight == Self.network().layers[0].weight)
        MaxNorm(limit: 0.5).apply(to: &network)
        #expect(network.layers[0].bias.elements == [7, -9])
        #expect(isClose(network.layers[0].weight, Matrix(rows: 2, columns: 3, elements: [0.3, 0.4, 0, 0.3, 0.4, 0])))
    }
}
