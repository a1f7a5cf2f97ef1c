import Foundation
import Perceptron
import PerceptronRun
import PerceptronData
@testable import PerceptronServer
import Testing

@Suite struct LoadTests {
    /// A run folder as `perceptron train` leaves it, and an MNIST-like data folder.
    func makeRun() throws -> (model: URL, data: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = RunMetrics.Configuration()
        config.hidden = [16]
        config.epochs = 3
        config.out = folder.path
        var metrics = RunMetrics(config: config, architecture: "784-16-10", parameters: 12730, backend: "test")
        metrics.history = [
            EpochRecord(epoch: 0, trainLoss: 0.5, valLoss: 0.3, valAccuracy: 0.9, trainSeconds: 1, evalSeconds: 0.1),
            EpochRecord(epoch: 1, trainLoss: .nan, valLoss: .infinity, valAccuracy: 0.1, trainSeconds: 1, evalSeconds: 0.1),
        ]
        metrics.bestEpoch = 0
        metrics.bestValidationLoss = 0.3
        metrics.testAccuracy = 0.91
        metrics.outcome = "diverged"
        let model = folder.appendingPathComponent("model.safetensors")
        try ModelFile.write(tinyNetwork(), metadata: metrics.modelMetadata, to: model)
        try metrics.write(to: folder.appendingPathComponent("metrics.json"))
        try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8).write(to: folder.appendingPathComponent("curves.svg"))
        let data = folder.appendingPathComponent("mnist")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try IDXWriter.write(fakeTestDigits().images, imagesTo: data.appendingPathComponent("t10k-images-idx3-ubyte"),
                            labelsTo: data.appendingPathComponent("t10k-labels-idx1-ubyte"))
        return (model, data)
    }

    @Test func loadsTheRunBesideTheModel() throws {
        let (model, data) = try makeRun()
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        var notes: [String] = []
        let server = try DigitServer.load(model: model, data: data, notes: { notes.append($0) })
        #expect(notes.isEmpty)
        #expect(server.reader.network == tinyNetwork())
        #expect(server.samples?.count == 5)
        #expect(server.curvesSVG != nil)
        let info = try #require(try JSONSerialization.jsonObject(with: Data(server.info.json)) as? [String: Any])
        #expect(info["architecture"] as? String == "784-16-10")
        #expect(info["test_accuracy"] as? Double == 0.91)
        #expect(info["best_epoch"] as? Int == 0)
        #expect(info["outcome"] as? String == "diverged")
        #expect(info["lr"] as? Double == 0.05)
        #expect(info["samples"] as? Int == 5)
        #expect(info["curves"] as? String == "/curves.svg")
        let history = try #require(info["history"] as? [[String: Any]])
        #expect(history.count == 2)
        #expect(history[1]["val_loss"] is NSNull || history[1]["val_loss"] == nil, "non-finite numbers are not JSON")
        #expect(history[0]["val_accuracy"] as? Double == 0.9)
    }

    @Test func worksWithoutDataOrMetrics() throws {
        let (model, data) = try makeRun()
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: model.deletingLastPathComponent().appendingPathComponent("metrics.json"))
        var notes: [String] = []
        let server = try DigitServer.load(model: model, data: data.appendingPathComponent("missing"), notes: { notes.append($0) })
        #expect(server.samples == nil)
        #expect(notes.count == 1 && notes[0].contains("t10k-images-idx3-ubyte"))
        // The model file's own metadata still tells the test accuracy.
        #expect(server.info.testAccuracy == 0.91)
        #expect(server.info.history.isEmpty)
    }

    @Test func refusesWhatIsNotAModel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("model.safetensors")
        #expect(throws: ServeError.self) { try DigitServer.load(model: missing, data: nil) }
        try Data("not a model".utf8).write(to: missing)
        #expect(throws: ServeError.self) { try DigitServer.load(model: missing, data: nil) }
        try ModelFile.write(tinyNetwork(sizes: [100, 10]), to: missing)
        #expect(throws: ServeError.self) { try DigitServer.load(model: missing, data: nil) }
    }
}
