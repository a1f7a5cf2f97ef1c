import Perceptron

/// The protocol's three sets of a run: the images that train, the images that validate (choose
/// the epoch to keep) and the images that test (reported once, at the end).
///
/// - Data with a test set (MNIST's `t10k` files, `kind` `.t10k`): the training set trains; the
///   test set is shuffled with the seed's `"split"` stream, and its first half validates, the
///   second half tests. The indices are into the test set.
/// - The papers' protocol (`validation: .train(N)`, `kind` `.train`): a ``StratifiedHoldout`` of
///   `N` training images validates, the rest of the training set trains, and the whole test set
///   tests — images that chose nothing. The validation and training indices are into the
///   training set, the test indices into the test set.
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
        /// Validation held out of the training set, the test set whole (the papers' protocol).
        case train
    }

    /// Where the images that choose the epoch come from, for data with a test set.
    public enum Validation: Sendable, Equatable {
        /// Half of the test set (the other half tests): the protocol of the question.
        case t10k
        /// This many training images, stratified by class; the whole test set tests.
        case train(Int)
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
    /// the training set for `.holdout` and `.train`).
    public let validationIndices: [Int]
    /// The indices of ``test``'s images in the set they come from.
    public let testIndices: [Int]
    /// The indices of ``train``'s images in the training set (all of them for `.t10k`).
    public let trainIndices: [Int]

    /// The split of `data` for `seed`: with a test set, as `validation` says (its halves, or `N`
    /// training images to validate and the test set whole); without one, the stratified `holdout`
    /// shares (validation, test) of its training set. Throws when the training set is too small to
    /// hold the images out of, or when `validation` asks for training images of data without a test set.
    public init(_ data: DatasetSplits, seed: UInt64, holdout: (validation: Double, test: Double) = (0.1, 0.1),
                validation from: Validation = .t10k) throws {
        if let testSet = data.test, case .train(let count) = from {
            guard count > 0, count < data.train.count else { throw DatasetError.validationTooLarge(count, images: data.train.count) }
            let held = try StratifiedHoldout(labels: data.train.labels, validationShare: Double(count) / Double(data.train.count),
                                             testShare: 0, seed: seed)
            kind = .train
            trainIndices = held.train
            validationIndices = held.validation
            testIndices = Array(0..<testSet.count)
            train = data.train.subset(trainIndices)
            validation = data.train.subset(validationIndices)
            test = testSet
        } else if let testSet = data.test {
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
            guard from == .t10k else { throw DatasetError.noTestSetToKeep }
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
