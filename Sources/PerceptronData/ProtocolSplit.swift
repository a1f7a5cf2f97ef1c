import Perceptron

/// The protocol's three sets of a run: the images that train, the images that validate (choose
/// the epoch to keep) and the images that test (reported once, at the end).
///
/// - Data with a test set (MNIST's `t10k` files, `kind` `.t10k`): the training set trains; the
///   test set is shuffled with the seed's `"split"` stream, and its first half validates, the
///   second half tests. The indices are into the test set.
/// - Data without one (a CSV file, class folders, a folder of IDX training files alone; `kind`
///   `.holdout`): a ``StratifiedHoldout`` of the training set gives validation and test their
///   shares, the rest trains. The indices are into the training set.
///
/// Both depend only on the data and the seed (and the shares), so `train`, `evaluate` and
/// `report` all find the same images in each set.
public struct ProtocolSplit: Sendable {
    /// Where the validation and test images come from.
    public enum Kind: String, Codable, Sendable {
        /// The halves of the data's own test set.
        case t10k
        /// Shares held out of the training set.
        case holdout
    }

    /// Where the validation and test images come from.
    public let kind: Kind
    /// The images that train.
    public let train: LabeledImages
    /// The images that choose the epoch.
    public let validation: LabeledImages
    /// The images reported once.
    public let test: LabeledImages
    /// The indices of ``validation``'s images in the set they come from (the test set for `.t10k`,
    /// the training set for `.holdout`).
    public let validationIndices: [Int]
    /// The indices of ``test``'s images in the set they come from.
    public let testIndices: [Int]
    /// The indices of ``train``'s images in the training set (all of them for `.t10k`).
    public let trainIndices: [Int]

    /// The split of `data` for `seed`: the halves of its test set, or, when it has none, the
    /// stratified `holdout` shares (validation, test) of its training set. Throws when the
    /// training set is too small to hold the shares out of.
    public init(_ data: DatasetSplits, seed: UInt64, holdout: (validation: Double, test: Double) = (0.1, 0.1)) throws {
        if let testSet = data.test {
            var generator = SplitMix64(seed: seed).stream("split")
            var permutation = Array(0..<testSet.count)
            permutation.shuffle(with: &generator)
            let half = testSet.count / 2
            kind = .t10k
            train = data.train
            trainIndices = Array(0..<data.train.count)
            validationIndices = Array(permutation[..<half])
            testIndices = Array(permutation[half...])
            validation = testSet.subset(validationIndices)
            test = testSet.subset(testIndices)
        } else {
            let holdout = try StratifiedHoldout(labels: data.train.labels, validationShare: holdout.validation,
                                                testShare: holdout.test, seed: seed)
            kind = .holdout
            trainIndices = holdout.train
            validationIndices = holdout.validation
            testIndices = holdout.test
            train = data.train.subset(trainIndices)
            validation = data.train.subset(validationIndices)
            test = data.train.subset(testIndices)
        }
    }
}
