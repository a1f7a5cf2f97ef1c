import Foundation
import Perceptron
import PerceptronData
import PerceptronRun
import Testing

/// `perceptron train --preset NAME` reads `examples/preset-NAME.json` of the project folder.
@Suite("The presets of examples/")
struct PresetTests {
    static let examples = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "examples")

    static func preset(_ name: String) throws -> RunConfiguration {
        let url = examples.appending(path: "preset-\(name).json")
        return try RunConfiguration.resolve(file: Data(contentsOf: url), source: url.lastPathComponent, overrides: [:])
    }

    @Test("each preset file is a configuration that makes sense")
    func everyPreset() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasPrefix("preset-") && $0.hasSuffix(".json") }
            .map { String($0.dropFirst("preset-".count).dropLast(".json".count)) }
        #expect(Set(names).isSuperset(of: ["fast", "best", "record"]))
        for name in names {
            let configuration = try Self.preset(name)
            #expect(configuration.problem == nil, "preset-\(name).json: \(configuration.problem ?? "")")
        }
    }

    @Test("fast and best keep the question's protocol (validation on half of t10k); record takes the papers', with weight decay")
    func protocols() throws {
        #expect(try Self.preset("fast").validationFrom == .t10k)
        #expect(try Self.preset("best").validationFrom == .t10k)
        let record = try Self.preset("record")
        #expect(record.validationFrom == .train)
        #expect(record.validationSize == 10_000)
        #expect(record.augment.isActive)
        #expect(record.training.weightDecay == 0.0001)  // 0.55 → 0.48 %, 0.57 → 0.45 % (BENCHMARKS.md)
        #expect(try Self.preset("fast").training.weightDecay == 0)
    }
}
