import Perceptron

extension Diagnosis.Remedy {
    /// The remedy as the flag of `perceptron train` that applies it: `--lr 0.005`, `--init he`,
    /// `--weight-decay λ` (for a value left to choose).
    public var flag: String {
        let name = switch option {
        case .learningRate: "--lr"
        case .initializer: "--init"
        case .patience: "--patience"
        case .weightDecay: "--weight-decay"
        case .lossReduction: "--loss-reduction"
        }
        return "\(name) \(value ?? placeholder)"
    }

    private var placeholder: String {
        switch option {
        case .learningRate: "η"
        case .weightDecay: "λ"
        case .initializer, .patience, .lossReduction: "…"
        }
    }
}

extension Diagnosis {
    /// What to type, `try --patience 3 or --weight-decay λ`; `nil` where the diagnosis advises no option.
    public var commandLineAdvice: String? {
        guard let remedies, !remedies.isEmpty else { return nil }
        return "try " + remedies.map(\.flag).joined(separator: " or ")
    }
}

extension Diagnosis {
    /// The diagnosis as the commands print it: the message, the evidence, and the flags to try.
    public var printed: String {
        "doctor: \(message)\n        evidence: \(evidence)" + (commandLineAdvice.map { "\n        \($0)" } ?? "")
    }
}
