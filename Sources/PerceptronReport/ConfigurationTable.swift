import Foundation
import Perceptron
import PerceptronRun

/// A run's options as rows of a table: each option's name as `metrics.json` writes it (`lr`,
/// `batch_size`) and its value as text.
///
/// The rows come from the configuration's own JSON encoding, so an option added to
/// ``RunMetrics/Configuration`` later shows up without a change here: the known options come first,
/// in the order of `perceptron train --help`, any others after them in alphabetical order. Lists are
/// joined with commas (`hidden`: `500, 300`; `none` when empty), and an option left unset (`nil`:
/// the standard initialiser, every core, no early stopping …) is written `default`.
public enum ConfigurationTable {
    static let knownOrder = ["dataset", "data", "hidden", "activation", "init", "optimizer", "epochs", "batch_size", "lr",
                             "schedule", "warmup", "momentum", "nesterov", "weight_decay", "dropout", "max_norm",
                             "momentum_warmup", "augment", "augment_epochs", "precision", "loss_reduction", "seed", "patience", "threads", "out",
                             "doctor"]

    /// The `(name, value)` rows of `config`.
    public static func rows(_ config: RunMetrics.Configuration) -> [(name: String, value: String)] {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(config),
              case .object(let values)? = try? JSONDecoder().decode(JSONValue.self, from: data) else { return [] }
        // JSONEncoder leaves out a nil optional: the known options are listed even then.
        let names = knownOrder + values.keys.filter { !knownOrder.contains($0) }.sorted()
        return names.map { ($0, values[$0]?.text ?? "default") }
    }

    /// Any JSON value, for reading back an encoded configuration.
    enum JSONValue: Decodable {
        case null
        case bool(Bool)
        case integer(Int64)
        case unsigned(UInt64)
        case number(Double)
        case string(String)
        case array([JSONValue])
        case object([String: JSONValue])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Int64.self) { self = .integer(value) }
            else if let value = try? container.decode(UInt64.self) { self = .unsigned(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
            else { self = .object(try container.decode([String: JSONValue].self)) }
        }

        /// The value as a person reads it.
        var text: String {
            switch self {
            case .null: "default"
            case .bool(let value): value ? "true" : "false"
            case .integer(let value): String(value)
            case .unsigned(let value): String(value)
            case .number(let value): String(value)
            case .string(let value): value
            case .array(let values): values.isEmpty ? "none" : values.map(\.text).joined(separator: ", ")
            case .object(let values): values.keys.sorted().map { "\($0): \(values[$0]!.text)" }.joined(separator: ", ")
            }
        }
    }
}
