import PerceptronData

/// metrics.json's `protocol`: where a run's validation and test images came from, and how many
/// there were.
///
/// ```json
/// {"validation": "t10k", "validation_size": 5000, "test_size": 5000}
/// ```
/// `t10k`: the halves of the data's own test set (MNIST's `t10k` files); `holdout`: stratified
/// shares of the labelled images, held out because the data has no test set (``PerceptronData/ProtocolSplit``).
public struct SplitProtocol: Codable, Sendable, Equatable {
    /// Where the validation and test images came from.
    public var validation: ProtocolSplit.Kind
    /// The number of validation images.
    public var validationSize: Int
    /// The number of test images.
    public var testSize: Int

    /// The protocol of `split`.
    public init(_ split: ProtocolSplit) {
        validation = split.kind
        validationSize = split.validation.count
        testSize = split.test.count
    }

    enum CodingKeys: String, CodingKey {
        case validation
        case validationSize = "validation_size"
        case testSize = "test_size"
    }
}
