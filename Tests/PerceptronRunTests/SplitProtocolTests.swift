import Foundation
import Perceptron
import PerceptronData
import PerceptronRun
import Testing

@Suite("The protocol and classes in a run's files")
struct SplitProtocolTests {
    @Test("metrics.json says where validation and test came from, how many, and the classes; and reads them back")
    func metricsProtocol() throws {
        let train = LabeledImages(images: Array(repeating: 0, count: 20), labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], rows: 1, columns: 2)
        let split = try ProtocolSplit(DatasetSplits(train: train, test: nil, classes: ["cat", "dog"]), seed: 1, holdout: (0.2, 0.2))
        var metrics = RunMetrics(config: RunConfiguration(), architecture: "2-3-2", parameters: 17, backend: "test")
        metrics.splitProtocol = SplitProtocol(split)
        metrics.classes = ["cat", "dog"]
        let object = try #require(try JSONSerialization.jsonObject(with: metrics.json()) as? [String: Any])
        let written = try #require(object["protocol"] as? [String: Any])
        #expect(written["validation"] as? String == "holdout")
        #expect(written["validation_size"] as? Int == 2)
        #expect(written["test_size"] as? Int == 2)
        #expect(object["classes"] as? [String] == ["cat", "dog"])
        let read = try RunMetrics.decode(metrics.json())
        #expect(read.splitProtocol == metrics.splitProtocol)
        #expect(read.classes == ["cat", "dog"])
        #expect(metrics.modelMetadata["classes"] == "cat,dog")
    }

    @Test("metrics.json of release 0.2.0 has neither, and loads")
    func oldMetrics() throws {
        let metrics = try RunMetrics.read(from: RunFilesCompatibilityTests.fixtures.appendingPathComponent("metrics.json"))
        #expect(metrics.splitProtocol == nil)
        #expect(metrics.classes == nil)
        #expect(metrics.config.holdout == [0.1, 0.1])
    }

    @Test("holdout takes two shares above 0 that sum below 1")
    func holdoutShares() {
        var settings = RunSettings()
        #expect(settings.problem == nil)
        for bad in [[0.1], [0, 0.1], [0.5, 0.5], [0.1, 0.1, 0.1], [-0.1, 0.2]] {
            settings.holdout = bad
            #expect(settings.problem?.contains("holdout takes two shares") == true, "\(bad)")
        }
    }

    @Test("the weights are counted for the data's inputs and classes once they are known")
    func weightsForTheData() {
        var settings = RunSettings()
        settings.dataset = .custom
        settings.hidden = [4000]
        #expect(settings.problem == nil)
        #expect(settings.problem(inputs: 256 * 256, classes: 2)?.contains("65536 inputs") == true)
        #expect(settings.sizes(inputs: 64, classes: 3) == [64, 4000, 3])
    }
}
