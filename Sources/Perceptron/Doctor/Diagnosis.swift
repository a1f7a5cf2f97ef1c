/// Something wrong with a training run, in plain words: what it is, the numbers that show it, and
/// what to change.
public struct Diagnosis: Codable, Sendable, Equatable {
    /// The epoch at which it was first seen.
    public var epoch: Int
    /// A stable name: `no_learning`, `step_too_small`, `step_too_large`, `saturated_units`,
    /// `dead_relus`, `init_off_centre`, `init_scale`, `bottleneck`, `dominant_class`, `overfitting`,
    /// `diverged`.
    public var code: String
    /// What is wrong and what to do.
    public var message: String
    /// The measurements behind it.
    public var evidence: String

    /// A diagnosis first seen at `epoch`, under a stable ``code``, with its advice and the numbers behind it.
    public init(epoch: Int, code: String, message: String, evidence: String) {
        self.epoch = epoch
        self.code = code
        self.message = message
        self.evidence = evidence
    }
}
