/// Checks backpropagation against the definition of a derivative.
///
/// For every weight and bias `θᵢ`, the five-point central difference
/// ```
/// ∂L/∂θᵢ ≈ (−L(θ + 2h·eᵢ) + 8·L(θ + h·eᵢ) − 8·L(θ − h·eᵢ) + L(θ − 2h·eᵢ)) / 12h        error O(h⁴)
/// ```
/// is compared with the gradient backpropagation computed, by the relative error
/// ```
/// |analytic − numeric| / max(|analytic|, |numeric|, floor)
/// ```
/// (the floor keeps gradients that are zero up to rounding from dividing by nearly nothing).
/// Run it in `Double`: in `Float` rounding swamps the differences. With `h = 10⁻⁴` the truncation
/// error (~h⁴) and the rounding error (~ε·L/h ≈ 10⁻¹²) are both far below the gradients compared;
/// the two-point difference's rounding error (~ε·L/h with a much smaller h) is not.
public enum GradientCheck {
    /// What ``GradientCheck/check(_:inputs:labels:reduction:dropoutMasks:step:floor:)`` found: the
    /// largest relative error between the two gradients, and where.
    public struct Result: Sendable {
        /// The largest relative error over every parameter.
        public var maxRelativeError: Double
        /// The parameter where it occurred, e.g. `layers.1.weight[3, 2]`.
        public var worstParameter: String
        /// How many parameters were compared.
        public var parameterCount: Int
    }

    /// Compares every parameter of `network` on one batch (through fixed dropout masks, if given:
    /// with the mask held still, the loss is an ordinary function of the parameters).
    public static func check<Scalar: NetworkScalar>(
        _ network: Network<Scalar>, inputs: Matrix<Scalar>, labels: [UInt8],
        reduction: LossReduction = .mean, dropoutMasks: [Matrix<Scalar>?] = [], step h: Scalar = 1e-4, floor: Scalar = 1e-5
    ) -> Result {
        var workspace = Workspace<Scalar>(sizes: network.sizes, batchSize: inputs.rows)
        workspace.input = inputs
        workspace.labels = labels
        workspace.setMasks(dropoutMasks)
        var gradients = network.zeroGradients()
        network.backpropagate(&workspace, reduction: reduction, into: &gradients)

        func lossOf(_ network: Network<Scalar>) -> Scalar {
            network.forward(&workspace)
            let sum = SoftmaxCrossEntropy.loss(logits: workspace.outputs[network.layers.count - 1], labels: labels).lossSum
            return Scalar(reduction == .mean ? sum / Double(inputs.rows) : sum)
        }

        var result = Result(maxRelativeError: 0, worstParameter: "", parameterCount: 0)
        func compare(_ analytic: Scalar, _ name: @autoclosure () -> String, perturb: (inout Network<Scalar>, Scalar) -> Void) {
            func loss(at offset: Scalar) -> Scalar {
                var shifted = network
                perturb(&shifted, offset)
                return lossOf(shifted)
            }
            let numeric = (-loss(at: 2 * h) + 8 * loss(at: h) - 8 * loss(at: -h) + loss(at: -2 * h)) / (12 * h)
            let error = Double(abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor))
            result.parameterCount += 1
            if error > result.maxRelativeError || result.worstParameter.isEmpty {
                result.maxRelativeError = error
                result.worstParameter = name()
            }
        }
        for l in network.layers.indices {
            let weight = network.layers[l].weight
            for r in 0..<weight.rows {
                for c in 0..<weight.columns {
                    compare(gradients[l].weight[r, c], "layers.\(l).weight[\(r), \(c)]") { $0.layers[l].weight[r, c] += $1 }
                }
            }
            for j in 0..<network.layers[l].outputSize {
                compare(gradients[l].bias[0, j], "layers.\(l).bias[\(j)]") { $0.layers[l].bias[0, j] += $1 }
            }
        }
        return result
    }
}
