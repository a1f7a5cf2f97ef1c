import Perceptron
import PerceptronData
import PerceptronRun
import Testing

@Suite("Which runs test on the same images (for a committee)")
struct TestSplitDifferenceTests {
    static func settings(seed: UInt64, from validation: RunSettings.ValidationSource = .t10k) -> RunSettings {
        var settings = RunSettings()
        settings.seed = seed
        settings.validationFrom = validation
        settings.validationSize = 10
        return settings
    }

    /// 40 training images and 20 test images of two classes.
    static let data = DatasetSplits(
        train: LabeledImages(images: Array(repeating: 0, count: 40), labels: (0..<40).map { UInt8($0 % 2) }, rows: 1, columns: 1),
        test: LabeledImages(images: Array(repeating: 0, count: 20), labels: (0..<20).map { UInt8($0 % 2) }, rows: 1, columns: 1))

    static func split(_ settings: RunSettings) throws -> ProtocolSplit {
        try ProtocolSplit(data, seed: settings.seed, validation: settings.validation)
    }

    @Test("under validation from t10k, another seed is refused: its validation images are the first's test images")
    func seedsUnderT10k() throws {
        let (one, two) = (Self.settings(seed: 1), Self.settings(seed: 2))
        let difference = try #require(one.testSplitDifference(two))
        #expect(difference.hasPrefix("seed 2, not 1") && difference.contains("--validation-from train"))
        #expect(one.testSplitDifference(one) == nil)
        // The reason, in the split itself: seed 2 validated on some of seed 1's test images.
        #expect(!Set(try Self.split(one).testIndices).isDisjoint(with: try Self.split(two).validationIndices))
    }

    @Test("under validation from train, any seed is accepted: every run tests on the whole test set, having validated on none of it")
    func seedsUnderTrain() throws {
        let (one, two) = (Self.settings(seed: 1, from: .train), Self.settings(seed: 2, from: .train))
        #expect(one.testSplitDifference(two) == nil)
        var larger = two
        larger.validationSize = 12
        #expect(one.testSplitDifference(larger) == nil, "the validation size does not change the test images")
        let (first, second) = (try Self.split(one), try Self.split(two))
        #expect(first.testIndices == second.testIndices && first.testIndices == Array(0..<20))
        #expect(first.validationIndices != second.validationIndices)
    }

    @Test("another protocol, dataset, custom data or holdout is refused")
    func otherDifferences() {
        let first = Self.settings(seed: 1)
        #expect(first.testSplitDifference(Self.settings(seed: 1, from: .train))?.hasPrefix("validation from train, not t10k") == true)
        var fashion = first
        fashion.dataset = .fashion
        #expect(first.testSplitDifference(fashion) == "dataset fashion, not mnist")
        var custom = first
        custom.dataset = .custom
        custom.data = "a.csv"
        var otherData = custom
        otherData.data = "b.csv"
        #expect(custom.testSplitDifference(otherData) == "data b.csv, not a.csv")
        var shares = custom
        shares.holdout = [0.2, 0.1]
        #expect(custom.testSplitDifference(shares)?.hasPrefix("holdout 0.2,0.1, not 0.1,0.1") == true)
    }
}
