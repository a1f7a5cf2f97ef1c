/// When a reading of a digit should not be trusted, for `perceptron predict` and the server: its
/// most probable digit has a probability below `sureProbability` (0.6), or the picture held no
/// ink at all (blank paper, a photo without a digit), whose all-zero input the network still
/// answers with some digit.
public enum ReadingConfidence {
    /// The least top probability of a sure reading: 0.6.
    public static let sureProbability = 0.6

    /// Whether a reading with these `probabilities` (one per class) of an input in which ink was
    /// found (`foundInk`) or not is unsure.
    public static func isUnsure(probabilities: [Float], foundInk: Bool) -> Bool {
        !foundInk || Double(probabilities.max() ?? 0) < sureProbability
    }
}
