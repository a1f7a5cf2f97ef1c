/// A committee of networks that answer together: the mean of the members' probabilities.
///
/// For `K` members `f₁ … f_K`, each mapping `[batch, inputs] → [batch, classes]` logits:
/// ```
/// p(x) = (1/K) Σₖ softmax(fₖ(x))     [batch, inputs] → [batch, classes]
/// ```
/// The members take the same inputs and give the same classes; their hidden layers may differ.
/// Each member runs the library's one forward pass (``Network/probabilities(_:)``); the committee
/// adds their probabilities in member order and divides by `K`, so a committee of one gives its
/// network's probabilities exactly. ``Evaluator`` measures a committee as it does a network, and
/// ``CommitteeFile`` stores one.
///
/// A value, like ``Network``: members are copies.
public struct Committee<Scalar: NetworkScalar>: Equatable, Sendable {
    /// The members, `f₁ … f_K`, in the order they were given.
    public let members: [Network<Scalar>]

    /// A committee of `members`: at least one, all of the first one's inputs and classes.
    public init(_ members: [Network<Scalar>]) throws(CommitteeError) {
        guard let first = members.first else { throw .noMembers }
        for (k, member) in members.enumerated() {
            guard member.sizes[0] == first.sizes[0] else {
                throw .inputsDiffer(member: k, inputs: member.sizes[0], firstInputs: first.sizes[0])
            }
            guard member.sizes.last == first.sizes.last else {
                throw .classesDiffer(member: k, classes: member.sizes.last!, firstClasses: first.sizes.last!)
            }
        }
        self.members = members
    }

    /// The committee of one network, whose probabilities are that network's: a network can stand
    /// wherever a committee is taken.
    public init(_ network: Network<Scalar>) {
        members = [network]
    }

    /// The number of inputs every member takes.
    public var inputs: Int { members[0].sizes[0] }

    /// The number of classes every member gives.
    public var classes: Int { members[0].sizes.last! }

    /// The members' weights and biases together.
    public var parameterCount: Int { members.reduce(0) { $0 + $1.parameterCount } }

    /// `784-100-10` for one member, `3 × 784-100-10` for three alike, `784-100-10 + 784-300-10`
    /// for members that differ.
    public var architecture: String {
        let shapes = members.map(\.architecture)
        if shapes.count > 1, Set(shapes).count == 1 { return "\(shapes.count) × \(shapes[0])" }
        return shapes.joined(separator: " + ")
    }

    /// `p(x) = (1/K) Σₖ softmax(fₖ(x))` for a batch of inputs, `[batch, inputs] → [batch, classes]`:
    /// each row's probability of each class.
    public func probabilities(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        Self.mean(members.map { $0.probabilities(input) })
    }

    /// `(1/K) Σₖ pₖ`, element by element, for the `K` members' probabilities `pₖ` `[batch, classes]`:
    /// summed in member order, then divided by `K` (for `K = 1`, `p₁` itself).
    static func mean(_ probabilities: [Matrix<Scalar>]) -> Matrix<Scalar> {
        var sum = probabilities[0]
        guard probabilities.count > 1 else { return sum }
        let count = Scalar(probabilities.count)
        sum.elements.withUnsafeMutableBufferPointer { total in
            for p in probabilities.dropFirst() {
                p.elements.withUnsafeBufferPointer { p in
                    for i in 0..<total.count { total[i] += p[i] }
                }
            }
            for i in 0..<total.count { total[i] /= count }
        }
        return sum
    }
}
