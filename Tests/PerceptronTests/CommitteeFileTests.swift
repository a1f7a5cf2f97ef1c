import Foundation
import Perceptron
import Testing

@Suite("Committee files (safetensors)")
struct CommitteeFileTests {
    static let members: [Network<Float>] = [randomNetwork(sizes: [6, 4, 3], hidden: .relu, seed: 501),
                                            randomNetwork(sizes: [6, 3], hidden: .identity, seed: 502),
                                            randomNetwork(sizes: [6, 5, 2, 3], hidden: .tanh, seed: 503)]
    static let committee = try! Committee(members)
    static let memberMetadata = [["source": "runs/a/model.safetensors", "test_accuracy": "0.98"], ["source": "b.safetensors"], [:]]

    static func decode(_ bytes: [UInt8]) throws(SafetensorsError) -> (committee: Committee<Float>, metadata: [String: String]) {
        try CommitteeFile.decode(bytes, path: "E.safetensors")
    }

    @Test("a committee, its metadata and each member's survive a round trip, bit for bit")
    func roundTrip() throws {
        let bytes = CommitteeFile.encode(Self.committee, metadata: ["dataset": "mnist", "test_accuracy": "0.99"],
                                         memberMetadata: Self.memberMetadata)
        let (committee, metadata) = try Self.decode(bytes)
        #expect(committee == Self.committee)
        #expect(CommitteeFile.encode(committee, metadata: ["dataset": "mnist", "test_accuracy": "0.99"],
                                     memberMetadata: Self.memberMetadata) == bytes)
        #expect(metadata["members"] == "3" && metadata["format"] == "perceptron" && metadata["format_version"] == ModelFile.formatVersion)
        #expect(metadata["dataset"] == "mnist" && metadata["test_accuracy"] == "0.99")
        #expect(CommitteeFile.isCommittee(metadata))
        #expect(CommitteeFile.metadata(ofMember: 0, in: metadata)
            == ["source": "runs/a/model.safetensors", "test_accuracy": "0.98", "sizes": "6,4,3", "activations": "relu,identity"])
        #expect(CommitteeFile.metadata(ofMember: 2, in: metadata) == ["sizes": "6,5,2,3", "activations": "tanh,tanh,identity"])
    }

    @Test("the layout: members.k.layers.l.weight [out, in] and .bias [out], a checksum for each")
    func layout() throws {
        let file = try Safetensors.decode(CommitteeFile.encode(Self.committee), path: "E")
        let expected = Self.members.enumerated().flatMap { k, member in
            member.layers.indices.flatMap { l in ["members.\(k).layers.\(l).weight", "members.\(k).layers.\(l).bias"] }
        }
        #expect(Set(file.tensors.keys) == Set(expected))
        #expect(file.tensors["members.2.layers.1.weight"]?.shape == [2, 5])
        #expect(file.tensors["members.2.layers.1.bias"]?.shape == [2])
        #expect(expected.allSatisfy { file.metadata["crc32." + $0]?.count == 8 })
    }

    @Test("a Double committee round-trips exactly")
    func doubleRoundTrip() throws {
        let committee = try Committee<Double>([randomNetwork(sizes: [3, 2], hidden: .identity, seed: 510),
                                               randomNetwork(sizes: [3, 4, 2], hidden: .sigmoid, seed: 511)])
        let (decoded, _): (Committee<Double>, [String: String]) = try CommitteeFile.decode(CommitteeFile.encode(committee), path: "d")
        #expect(decoded == committee)
    }

    @Test("a damaged tensor is refused by its checksum, named")
    func damagedTensor() throws {
        var file = try Safetensors.decode(CommitteeFile.encode(Self.committee), path: "E")
        file.tensors["members.1.layers.0.weight"]!.bytes[5] ^= 0x10
        let error = try #require(throws: SafetensorsError.self) { try Self.decode(Safetensors.encode(file)) }
        #expect(error.path == "E.safetensors")
        #expect(error.problem.contains("tensor 'members.1.layers.0.weight' is damaged"))
    }

    @Test("a committee file without checksums, or with a member of NaN weights, is refused")
    func uncheckedOrNotFinite() throws {
        var file = try Safetensors.decode(CommitteeFile.encode(Self.committee), path: "E")
        file.metadata = file.metadata.filter { !$0.key.hasPrefix("crc32.") }
        let error = try #require(throws: SafetensorsError.self) { try Self.decode(Safetensors.encode(file)) }
        #expect(error.problem.contains("checksums"))

        var broken = Self.members
        broken[2].layers[1].weight.elements[3] = .nan
        let nan = try #require(throws: SafetensorsError.self) { try Self.decode(CommitteeFile.encode(try Committee(broken))) }
        #expect(nan.problem.contains("tensor 'members.2.layers.1.weight' holds nan"))
    }

    @Test("a model file of one network reads as a committee of one")
    func modelFileAsCommittee() throws {
        let bytes = ModelFile.encode(Self.members[0], metadata: ["seed": "7"])
        let (committee, metadata) = try Self.decode(bytes)
        #expect(committee == Committee(Self.members[0]))
        #expect(metadata == (try ModelFile.decode(bytes, path: "m") as (network: Network<Float>, metadata: [String: String])).metadata)
        #expect(!CommitteeFile.isCommittee(metadata))
    }

    @Test("a committee file read as one network is refused, saying it is a committee and what to do")
    func committeeAsModelFile() throws {
        let bytes = CommitteeFile.encode(Self.committee)
        let error = try #require(throws: UnexpectedCommitteeError.self) {
            let _: (network: Network<Float>, metadata: [String: String]) = try ModelFile.decode(bytes, path: "E.safetensors")
        }
        #expect(error == UnexpectedCommitteeError(path: "E.safetensors", members: "3"))
        #expect(error.description.contains("E.safetensors holds a committee of 3 networks"))
        #expect(error.description.contains("give one member's own model file"))
    }

    @Test("a file whose members read other inputs or give other classes is refused, naming the member")
    func mismatchedMembersInFile() throws {
        // Member 1's tensors and architecture replaced by those of a 6-4 network: four classes, not three.
        var file = try Safetensors.decode(CommitteeFile.encode(Self.committee), path: "E")
        let other = try Safetensors.decode(ModelFile.encode(randomNetwork(sizes: [6, 4], hidden: .identity, seed: 520, as: Float.self)), path: "o")
        for (name, tensor) in other.tensors {
            file.tensors["members.1." + name] = tensor
            file.metadata["crc32.members.1." + name] = other.metadata["crc32." + name]
        }
        file.metadata["members.1.sizes"] = "6,4"
        let error = try #require(throws: SafetensorsError.self) { try Self.decode(Safetensors.encode(file)) }
        #expect(error.problem == "member 2 of the committee gives 4 classes, the first member 3: a committee's members must answer the same classes")
    }

    @Test("a members count that is not a number from 1 up is refused", arguments: ["0", "-1", "three", "", "99999999999999999999"])
    func badMembersCount(count: String) throws {
        var file = try Safetensors.decode(CommitteeFile.encode(Self.committee), path: "E")
        file.metadata["members"] = count
        let error = try #require(throws: SafetensorsError.self) { try Self.decode(Safetensors.encode(file)) }
        #expect(error.problem.contains("metadata members '\(count)'"))
    }

    @Test("a members count above the members present is refused, naming the missing member's architecture")
    func missingMember() throws {
        var file = try Safetensors.decode(CommitteeFile.encode(Self.committee), path: "E")
        file.metadata["members"] = "4"
        let error = try #require(throws: SafetensorsError.self) { try Self.decode(Safetensors.encode(file)) }
        #expect(error.problem.contains("members.3.sizes"))
    }

    @Test("written to disk and read back, atomically")
    func fileRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PerceptronTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("E.safetensors")
        try CommitteeFile.write(Self.committee, metadata: ["k": "v"], to: url)
        let (committee, metadata) = try CommitteeFile.read(Float.self, from: url)
        #expect(committee == Self.committee && metadata["k"] == "v")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["E.safetensors"])
        let error = try #require(throws: SafetensorsError.self) { try CommitteeFile.read(Float.self, from: folder.appendingPathComponent("none")) }
        #expect(error.problem.contains("cannot be read"))
    }
}
