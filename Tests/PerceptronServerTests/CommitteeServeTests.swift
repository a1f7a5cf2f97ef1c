import Foundation
import Perceptron
@testable import PerceptronServer
import Testing

@Suite struct CommitteeServeTests {
    static let members = [tinyNetwork(seed: 7), tinyNetwork(seed: 8, sizes: [784, 24, 10])]

    @Test("a committee's file is served: each digit read by the mean of its members' probabilities")
    func servesACommittee() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-committee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("E.safetensors")
        let committee = try Committee(Self.members)
        try CommitteeFile.write(committee, metadata: ["test_accuracy": "0.97", "dataset": "mnist"], to: model)
        // A run's curves beside it tell of one run, not of the committee: they are not shown.
        try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8).write(to: folder.appendingPathComponent("curves.svg"))

        let server = try DigitServer.load(model: model, data: nil)
        #expect(server.reader.committee == committee)
        let input = ringPixels().map(Float.init)
        let expected = zip(Self.members[0].probabilities(Matrix(rows: 1, columns: 784, elements: input)).elements,
                           Self.members[1].probabilities(Matrix(rows: 1, columns: 784, elements: input)).elements).map { ($0 + $1) / 2 }
        for (a, e) in zip(server.reader.probabilities(of: input), expected) { #expect(abs(a - e) < 1e-6) }
        #expect(server.curvesSVG == nil)
        let info = try #require(try JSONSerialization.jsonObject(with: Data(server.info.json)) as? [String: Any])
        #expect(info["architecture"] as? String == "784-16-10 + 784-24-10")
        #expect(info["parameters"] as? Int == committee.parameterCount)
        #expect(info["test_accuracy"] as? Double == 0.97)
    }

    @Test("a committee whose members do not read digits is refused")
    func refusesOtherInputs() throws {
        #expect(throws: ServeError.self) { try DigitReader(committee: Committee(tinyNetwork(sizes: [100, 10]))) }
    }
}
