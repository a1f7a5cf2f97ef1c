import Perceptron

/// The classic protocol's split of the 10,000 test images: shuffled with the run's seed, the first
/// half validates (chooses the epoch to keep), the second half tests (reported once).
///
/// The permutation comes from the seed's `"split"` stream, so `train`, `evaluate` and `report`
/// all find the same images in each half.
public struct ProtocolSplit: Sendable {
    /// Indices into the full test set, in the shuffled order: `[0, count/2)` validate, the rest test.
    public let permutation: [Int]
    public let validation: LabeledImages
    public let test: LabeledImages

    public init(testSet: LabeledImages, seed: UInt64) {
        var generator = SplitMix64(seed: seed).stream("split")
        var permutation = Array(0..<testSet.count)
        permutation.shuffle(with: &generator)
        let half = testSet.count / 2
        self.permutation = permutation
        validation = testSet.subset(permutation[..<half])
        test = testSet.subset(permutation[half...])
    }

    /// The test-set indices of the validation images.
    public var validationIndices: ArraySlice<Int> { permutation[..<(permutation.count / 2)] }
    /// The test-set indices of the test images.
    public var testIndices: ArraySlice<Int> { permutation[(permutation.count / 2)...] }
}
