import Perceptron

/// A seeded, stratified division of a labelled set into training, validation and test images:
/// every class gives the validation and the test set about its share of its images.
///
/// Of `n` images, `V = max(1, round(n·validation))` validate and `T = max(1, round(n·test))` test.
/// Class `c`, with `n_c` images, is owed `n_c·validation` validation images: it gives the whole
/// part of that, and the images still missing from `V` go one each to the classes with the largest
/// fractional parts, the lower label first on a tie (the largest-remainder method). The test set
/// is apportioned the same way from the images each class has left. Which of its images a class
/// gives: its images in the set's order are shuffled, a class at a time in label order, with one
/// generator, the seed's `"holdout"` stream (`SplitMix64.stream(_:)`); the first go to
/// validation, the next to test, the rest train. Each set lists its images in the set's order.
///
/// So the division depends only on the seed, the shares and how many images each class has: the
/// same images, in the same order within each class, are divided the same way however the classes
/// are interleaved (a CSV file, or the same images as class folders).
public struct StratifiedHoldout: Sendable, Equatable {
    /// Indices of the images that train, ascending.
    public let train: [Int]
    /// Indices of the images that validate, ascending.
    public let validation: [Int]
    /// Indices of the images that test, ascending.
    public let test: [Int]

    /// Divides the images whose labels are `labels`; both shares must be above 0 and together below 1.
    /// Throws `DatasetError.tooFewToHoldOut` unless each of the three sets gets at least one image.
    public init(labels: [UInt8], validationShare: Double, testShare: Double, seed: UInt64) throws {
        precondition(validationShare > 0 && testShare > 0 && validationShare + testShare < 1, "shares above 0 that sum below 1")
        var members = [[Int]](repeating: [], count: Int(labels.max() ?? 0) + 1)
        for (index, label) in labels.enumerated() { members[Int(label)].append(index) }
        let sizes = members.map(\.count)
        let n = labels.count
        let validationTotal = max(1, Int((Double(n) * validationShare).rounded()))
        let testTotal = max(1, Int((Double(n) * testShare).rounded()))
        guard validationTotal + testTotal < n else {
            throw DatasetError.tooFewToHoldOut(images: n, validationShare: validationShare, testShare: testShare)
        }
        let validationCounts = Self.apportion(validationTotal, quotas: sizes.map { Double($0) * validationShare }, capacities: sizes)
        let testCounts = Self.apportion(testTotal, quotas: sizes.map { Double($0) * testShare },
                                        capacities: zip(sizes, validationCounts).map { $0 - $1 })

        var generator = SplitMix64(seed: seed).stream("holdout")
        var train: [Int] = [], validation: [Int] = [], test: [Int] = []
        for (label, images) in members.enumerated() {
            var order = Array(images.indices)
            order.shuffle(with: &generator)
            let (v, t) = (validationCounts[label], testCounts[label])
            validation += order[..<v].map { images[$0] }
            test += order[v..<(v + t)].map { images[$0] }
            train += order[(v + t)...].map { images[$0] }
        }
        self.train = train.sorted()
        self.validation = validation.sorted()
        self.test = test.sorted()
    }

    /// `total` items shared out by `quotas` (one per class, at most `capacities[c]` each): each
    /// class's whole part, then one more to each of the classes with the largest fractional parts
    /// (ties to the lower index) until `total` are given or every class is full.
    static func apportion(_ total: Int, quotas: [Double], capacities: [Int]) -> [Int] {
        var counts = zip(quotas, capacities).map { min(Int($0.rounded(.down)), $1) }
        var left = total - counts.reduce(0, +)
        let byRemainder = quotas.indices.sorted { a, b in
            let (ra, rb) = (quotas[a] - quotas[a].rounded(.down), quotas[b] - quotas[b].rounded(.down))
            return ra != rb ? ra > rb : a < b
        }
        while left > 0 {
            let open = byRemainder.filter { counts[$0] < capacities[$0] }
            guard !open.isEmpty else { break }
            for c in open.prefix(left) { counts[c] += 1 }
            left -= min(left, open.count)
        }
        return counts
    }
}
