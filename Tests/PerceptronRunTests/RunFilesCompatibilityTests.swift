import Foundation
import Perceptron
import PerceptronData
import PerceptronRun
import Testing

/// The files of a run trained by release 0.2.0 (`perceptron train --hidden 16 --epochs 1 --seed 3
/// --dropout 0.1 --schedule cosine`, on MNIST): this release must read them all.
@Suite("Run files of release 0.2.0")
struct RunFilesCompatibilityTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    @Test("its config.json loads with every setting it holds")
    func configuration() throws {
        let file = try Data(contentsOf: Self.fixtures.appendingPathComponent("config.json"))
        let settings = try RunConfiguration.resolve(file: file, overrides: [:])
        #expect(settings.dataset == .mnist)
        #expect(settings.hidden == [16])
        #expect(settings.seed == 3)
        #expect(settings.initializer == .he)
        #expect(settings.dropout == [0.1])
        #expect(settings.schedule == .cosine)
        #expect(settings.epochs == 1)
        #expect(settings.learningRate == 0.05)
        #expect(settings.optimizer == .momentum)
        #expect(settings.precision == .bf16)
        #expect(settings.problem == nil)
    }

    @Test("its metrics.json loads: history, best epoch, test accuracy and diagnoses")
    func metrics() throws {
        let metrics = try RunMetrics.read(from: Self.fixtures.appendingPathComponent("metrics.json"))
        #expect(metrics.history.map(\.epoch) == [0, 1])
        #expect(metrics.bestEpoch == 1)
        #expect(metrics.testAccuracy == 0.9218)
        #expect(metrics.config.hidden == [16])
        #expect(metrics.outcome == "completed")
    }

    @Test("its model loads, with the settings in its metadata")
    func model() throws {
        let (network, metadata) = try ModelFile.read(Float.self, from: Self.fixtures.appendingPathComponent("model.safetensors"))
        #expect(network.sizes == [784, 16, 10])
        let settings = try RunConfiguration.decode(Data(try #require(metadata["config"]).utf8), source: "model.safetensors")
        #expect(settings.seed == 3)
        #expect(settings.hidden == [16])
    }

    @Test("its checkpoint resumes: the run's settings, history and optimiser state")
    func checkpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("old-run-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = try Checkpoint.load(folder: folder, overrides: ["epochs": 2])
        #expect(checkpoint.configuration.epochs == 2)
        #expect(checkpoint.metrics.history.count == 2)
        #expect(checkpoint.network.sizes == [784, 16, 10])
        #expect(checkpoint.optimizerState["velocity.0.weight"]?.shape == checkpoint.network.layers[0].weight.shape)
    }
}

@Suite("Run configuration")
struct RunConfigurationTests {
    @Test("keys a file leaves out keep their defaults")
    func partialFile() throws {
        let settings = try RunConfiguration.resolve(file: Data(#"{"hidden": [10], "lr": 0.2}"#.utf8), overrides: ["epochs": 3])
        #expect(settings.hidden == [10])
        #expect(settings.learningRate == 0.2)
        #expect(settings.epochs == 3)
        #expect(settings.batchSize == TrainingOptions().batchSize)
        #expect(settings.training == { var t = TrainingOptions(); t.learningRate = 0.2; t.epochs = 3; return t }())
    }

    @Test("it is written as one flat object holding the keys of both parts")
    func flatObject() throws {
        var settings = RunConfiguration()
        settings.patience = 4
        settings.threads = 2
        settings.out = "runs/x"
        settings.initializer = .glorot
        settings.maxNorm = 3
        settings.augmentEpochs = 170
        settings.data = "data/mnist"
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
        #expect(Set(object.keys) == RunConfiguration.keys)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: JSONEncoder().encode(settings)) == settings)
    }

    @Test("an unknown key is refused, by name")
    func unknownKey() {
        #expect {
            try RunConfiguration.resolve(file: Data(#"{"lr_decay": 0.5}"#.utf8), source: "my.json", overrides: [:])
        } throws: { error in
            "\(error)".hasPrefix("my.json has the unknown key \"lr_decay\"")
        }
    }

    @Test("a value of the wrong kind is named by its key")
    func badValue() {
        for (json, key) in [(#"{"seed": -1}"#, "seed"), (#"{"dataset": "cifar"}"#, "dataset"), (#"{"optimizer": "sgd"}"#, "optimizer")] {
            #expect {
                try RunConfiguration.resolve(file: Data(json.utf8), source: "my.json", overrides: [:])
            } throws: { error in
                "\(error)".contains("has a bad value for \"\(key)\"")
            }
        }
    }

    @Test("more dropout rates than the network has inputs to drop is a problem")
    func dropoutCount() {
        var settings = RunConfiguration()
        settings.hidden = [100]
        settings.dropout = [0.2, 0.5, 0.5]
        #expect(settings.problem?.hasPrefix("dropout takes at most 2 rates") == true)
    }
}

@Suite("The doctor's advice as flags")
struct DoctorAdviceTests {
    @Test("each remedy is the flag of train that applies it")
    func flags() {
        let diagnosis = Diagnosis(epoch: 4, code: "overfitting", message: "m", evidence: "e",
                                  remedies: [.init(.patience, "3"), .init(.weightDecay)])
        #expect(diagnosis.commandLineAdvice == "try --patience 3 or --weight-decay λ")
        #expect(Diagnosis.Remedy(.learningRate, "0.005").flag == "--lr 0.005")
        #expect(Diagnosis.Remedy(.initializer, "he").flag == "--init he")
        #expect(Diagnosis(epoch: 0, code: "c", message: "m", evidence: "e").commandLineAdvice == nil)
    }
}
