/// The max-norm constraint: after every step, each unit's incoming weight vector is shrunk back
/// onto the ball of radius `c` if the step took it outside.
///
/// ```
/// wⱼ ← wⱼ · min(1, c / ‖wⱼ‖)        wⱼ = row j of W [out, in], the weights into unit j
/// ```
/// Biases are not constrained. With dropout it lets a large learning rate explore without the
/// weights growing without bound (Srivastava et al. 2014, section 5.1).
public struct MaxNorm: Sendable, Equatable {
    /// `c`
    public var limit: Double

    /// The constraint `‖wⱼ‖ ≤ c` with `c = limit`, which must be positive.
    public init(limit: Double) {
        precondition(limit > 0, "the max-norm limit must be positive")
        self.limit = limit
    }

    /// Rescales every row of every layer's weight matrix whose length exceeds `c`.
    @_specialize(where Scalar == Float)
    public func apply<Scalar: NetworkScalar>(to network: inout Network<Scalar>) {
        let c = Scalar(limit)
        for l in network.layers.indices {
            let width = network.layers[l].weight.columns
            network.layers[l].weight.elements.withUnsafeMutableBufferPointer { w in
                for row in stride(from: 0, to: w.count, by: width) {
                    let unit = UnsafeMutableBufferPointer(rebasing: w[row ..< row + width])
                    var squares: Scalar = 0
                    for x in unit { squares += x * x }
                    guard squares > c * c else { continue }
                    let shrink = c / squares.squareRoot()
                    for i in unit.indices { unit[i] *= shrink }
                }
            }
        }
    }
}
