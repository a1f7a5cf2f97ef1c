/// Inverted dropout (Srivastava et al., 2014): while training, every input pixel and every hidden
/// unit is dropped with its layer's probability `p`, and the units kept are scaled up so that the
/// expected input of the next layer is unchanged — the network is then used as it is at test time.
///
/// ```
/// m ~ Bernoulli(1 − p), one per unit and example, drawn anew for every batch
/// x̃ = x ⊙ m / (1 − p)                 what the next layer sees                 [batch, units]
/// ∂L/∂x = ∂L/∂x̃ ⊙ m / (1 − p)         backward: dropped units pass no gradient
/// ```
/// `rates[0]` is the input's `p`, `rates[l]` hidden layer `l`'s (from 1); missing rates are 0.
public struct Dropout: Sendable, Equatable {
    /// `p` of each layer's input, in [0, 1): `rates[0]` the pixels', `rates[l]` hidden layer `l`'s;
    /// missing rates are 0.
    public var rates: [Double]

    /// Dropout of these rates, each in [0, 1).
    public init(rates: [Double]) {
        precondition(rates.allSatisfy { $0 >= 0 && $0 < 1 }, "dropout rates must be in [0, 1), not \(rates)")
        self.rates = rates
    }

    /// Whether any rate is above 0.
    public var isActive: Bool { rates.contains { $0 > 0 } }

    /// Draws the scaled masks `m / (1 − p)` of one batch into `workspace`: position `l` masks the
    /// input of layer `l` (the pixels for `l = 0`). The output layer's input is hidden layer `L−1`'s.
    public func drawMasks<Scalar: NetworkScalar>(into workspace: inout Workspace<Scalar>,
                                                 using generator: inout some RandomNumberGenerator) {
        let positions = workspace.outputs.count
        if workspace.masks.count != positions { workspace.masks = Array(repeating: nil, count: positions) }
        for l in 0..<positions {
            let p = l < rates.count ? rates[l] : 0
            guard p > 0 else { workspace.masks[l] = nil; continue }
            let columns = l == 0 ? workspace.input.columns : workspace.outputs[l - 1].columns
            if workspace.masks[l]?.columns != columns {
                workspace.masks[l] = Matrix(rows: workspace.batchSize, columns: columns)
                workspace.dropped[l] = Matrix(rows: workspace.batchSize, columns: columns)
            }
            let keep = Scalar(1 / (1 - p))
            let threshold = UInt64((1 - p) * 0x1p53)  // keep when the top 53 bits fall below (1 − p)·2⁵³
            workspace.masks[l]!.elements.withUnsafeMutableBufferPointer { m in
                for i in m.indices { m[i] = generator.next() >> 11 < threshold ? keep : 0 }
            }
        }
    }
}
