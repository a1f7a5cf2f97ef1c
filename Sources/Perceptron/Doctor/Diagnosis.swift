/// Something wrong with a training run, in plain words: what it is, the numbers that show it, and
/// what to change.
public struct Diagnosis: Codable, Sendable, Equatable {
    /// The epoch at which it was first seen.
    public var epoch: Int
    /// A stable name: `no_learning`, `step_too_small`, `step_too_large`, `saturated_units`,
    /// `dead_relus`, `init_off_centre`, `init_scale`, `bottleneck`, `dominant_class`, `overfitting`,
    /// `weight_decay`, `diverged`.
    public var code: String
    /// What is wrong and what to do.
    public var message: String
    /// The measurements behind it.
    public var evidence: String
    /// The changes of options the message advises, as data (`nil` in runs recorded before they were).
    public var remedies: [Remedy]?

    /// A diagnosis first seen at `epoch`, under a stable ``code``, with its advice, the numbers
    /// behind it and the changes it advises.
    public init(epoch: Int, code: String, message: String, evidence: String, remedies: [Remedy] = []) {
        self.epoch = epoch
        self.code = code
        self.message = message
        self.evidence = evidence
        self.remedies = remedies
    }

    /// One option a diagnosis advises changing, and the value to try (`nil`: any, such as "some
    /// weight decay"). How the option is spelt to the user is the application's choice.
    public struct Remedy: Codable, Sendable, Equatable {
        /// The options the doctor advises on.
        public enum Option: String, Codable, Sendable {
            case learningRate, initializer, patience, weightDecay, lossReduction
        }
        /// What to change.
        public var option: Option
        /// The value to try, in the option's text form (`0.005`, `he`, `mean`).
        public var value: String?

        /// Advice to set `option` to `value`.
        public init(_ option: Option, _ value: String? = nil) {
            self.option = option
            self.value = value
        }
    }
}
