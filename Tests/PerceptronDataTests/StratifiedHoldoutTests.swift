import Testing
import Perceptron
import PerceptronData

@Suite("Stratified holdout")
struct StratifiedHoldoutTests {
    /// 1,000 labels of five classes of 400, 300, 200, 70 and 30 images, interleaved.
    let labels: [UInt8] = {
        let counts = [400, 300, 200, 70, 30]
        var labels: [UInt8] = []
        var left = counts
        while left.contains(where: { $0 > 0 }) {
            for c in left.indices where left[c] > 0 { labels.append(UInt8(c)); left[c] -= 1 }
        }
        return labels
    }()

    @Test("the three sets are disjoint and together every image, each listed in order")
    func disjointAndComplete() throws {
        let split = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.2, seed: 7)
        #expect(Set(split.train).isDisjoint(with: split.validation))
        #expect(Set(split.train).isDisjoint(with: split.test))
        #expect(Set(split.validation).isDisjoint(with: split.test))
        #expect((split.train + split.validation + split.test).sorted() == Array(labels.indices))
        #expect(split.train == split.train.sorted() && split.validation == split.validation.sorted() && split.test == split.test.sorted())
    }

    @Test("each class gives its share: 10 % and 20 % of 1,000 images are 100 and 200, by class 40/30/20/7/3 and 80/60/40/14/6")
    func stratified() throws {
        let split = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.2, seed: 7)
        func perClass(_ indices: [Int]) -> [Int] { (0..<5).map { c in indices.filter { labels[$0] == c }.count } }
        #expect(perClass(split.validation) == [40, 30, 20, 7, 3])
        #expect(perClass(split.test) == [80, 60, 40, 14, 6])
    }

    @Test("shares that do not divide a class evenly are apportioned to the total, by the largest remainders")
    func largestRemainders() throws {
        // Three classes of 5 images: 10 % of 15 is 1.5 → 2 images; each class is owed 0.5, the first two get one.
        let labels: [UInt8] = Array(repeating: 0, count: 5) + Array(repeating: 1, count: 5) + Array(repeating: 2, count: 5)
        let split = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.1, seed: 1)
        #expect(split.validation.count == 2 && split.test.count == 2)
        #expect(split.validation.map { labels[$0] } == [0, 1])
        // The test set is apportioned from what is left: every class is owed 0.5 again, the first two have room.
        #expect(split.test.map { labels[$0] } == [0, 1])
    }

    @Test("the same seed gives the same sets; another seed other images")
    func seeded() throws {
        let a = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.1, seed: 3)
        let b = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.1, seed: 3)
        let c = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.1, seed: 4)
        #expect(a == b)
        #expect(a.test != c.test)
    }

    @Test("the sets depend on each class's images in order, not on how the classes are interleaved")
    func orderOfClasses() throws {
        let grouped = labels.sorted()
        let interleaved = try StratifiedHoldout(labels: labels, validationShare: 0.1, testShare: 0.1, seed: 5)
        let byClass = try StratifiedHoldout(labels: grouped, validationShare: 0.1, testShare: 0.1, seed: 5)
        // The k-th image of class c in one order is the k-th image of class c in the other.
        func ordinals(_ indices: [Int], in labels: [UInt8]) -> Set<[Int]> {
            Set(indices.map { index in [Int(labels[index]), labels[..<index].filter { $0 == labels[index] }.count] })
        }
        #expect(ordinals(interleaved.test, in: labels) == ordinals(byClass.test, in: grouped))
        #expect(ordinals(interleaved.validation, in: labels) == ordinals(byClass.validation, in: grouped))
    }

    @Test("too few images to give every set one is refused, saying so")
    func tooFew() throws {
        let error = try #require(throws: DatasetError.self) {
            try StratifiedHoldout(labels: [0, 1], validationShare: 0.1, testShare: 0.1, seed: 1)
        }
        #expect(error == .tooFewToHoldOut(images: 2, validationShare: 0.1, testShare: 0.1))
        #expect(error.description.contains("--holdout"))
        let three = try StratifiedHoldout(labels: [0, 1, 1], validationShare: 0.1, testShare: 0.1, seed: 1)
        #expect(three.train.count == 1 && three.validation.count == 1 && three.test.count == 1)
    }
}

@Suite("The protocol's split")
struct ProtocolSplitTests {
    let train = LabeledImages(images: (0..<40).map { UInt8($0) }, labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], rows: 2, columns: 2)
    let test = LabeledImages(images: (0..<24).map { UInt8(100 + $0) }, labels: [1, 0, 1, 0, 1, 0], rows: 2, columns: 2)

    @Test("with a test set: the training set trains, the test set's shuffled halves validate and test")
    func t10k() throws {
        let split = try ProtocolSplit(DatasetSplits(train: train, test: test), seed: 9)
        #expect(split.kind == .t10k)
        #expect(split.train == train)
        #expect(split.validation.count == 3 && split.test.count == 3)
        #expect((split.validationIndices + split.testIndices).sorted() == Array(0..<6))
        #expect(split.validation == test.subset(split.validationIndices))
        #expect(split.test == test.subset(split.testIndices))
    }

    @Test("without one: validation and test are held out of the training set, stratified")
    func holdout() throws {
        let split = try ProtocolSplit(DatasetSplits(train: train, test: nil), seed: 9, holdout: (0.2, 0.2))
        #expect(split.kind == .holdout)
        #expect(split.validation.labels.sorted() == [0, 1] && split.test.labels.sorted() == [0, 1])
        #expect(split.train.count == 6)
        #expect((split.trainIndices + split.validationIndices + split.testIndices).sorted() == Array(0..<10))
        #expect(split.test == train.subset(split.testIndices))
    }
}
