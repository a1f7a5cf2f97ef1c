import Foundation
import Perceptron
import Testing

@Suite("Model files (safetensors)")
struct ModelFileTests {
    static let floatNetwork: Network<Float> = randomNetwork(sizes: [3, 4, 2], hidden: .relu, seed: 201)
    static let doubleNetwork: Network<Double> = randomNetwork(sizes: [5, 3, 3, 2], hidden: .tanh, seed: 202)

    static func decodeFloat(_ bytes: [UInt8]) throws -> (network: Network<Float>, metadata: [String: String]) {
        try ModelFile.decode(bytes, path: "test.safetensors")
    }

    /// A file of `header` (padded with spaces to a multiple of 8 bytes) and `data`; `claimedLength`
    /// overrides the header length written in the first 8 bytes.
    static func file(header: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> [UInt8] {
        file(headerBytes: Array(header.utf8), data: data, claimedLength: claimedLength)
    }

    static func file(headerBytes: [UInt8], data: [UInt8] = [], claimedLength: UInt64? = nil) -> [UInt8] {
        var json = headerBytes
        while json.count % 8 != 0 { json.append(0x20) }
        let length = claimedLength ?? UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + json + data
    }

    /// The metadata of a one-layer `3-2` identity model, as JSON.
    static let metadata = #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"3,2","activations":"identity"}"#

    /// A well-formed `3-2` model: 24 bytes of weights, then 8 of biases.
    static func validModel(weight: String = #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}"#,
                           bias: String = #""layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#,
                           metadata: String = metadata, dataCount: Int = 32) -> [UInt8] {
        file(header: "{" + [metadata, bias, weight].filter { !$0.isEmpty }.joined(separator: ",") + "}",
             data: (0..<dataCount).map { UInt8($0 % 7) })
    }

    @Test("the hand-built model used by the corruption tests is itself valid")
    func handBuiltModelIsValid() throws {
        let (network, metadata) = try Self.decodeFloat(Self.validModel())
        #expect(network.sizes == [3, 2])
        #expect(network.layers[0].activation == .identity)
        #expect(metadata["sizes"] == "3,2")
    }

    @Test("a Float network and its metadata survive a round trip")
    func floatRoundTrip() throws {
        let bytes = ModelFile.encode(Self.floatNetwork, metadata: ["epoch": "7", "note": "tiny \"quoted\" / ünïcode"])
        let (network, metadata) = try Self.decodeFloat(bytes)
        #expect(network == Self.floatNetwork)
        #expect(metadata["epoch"] == "7")
        #expect(metadata["note"] == "tiny \"quoted\" / ünïcode")
        #expect(metadata["format"] == "perceptron")
        #expect(metadata["format_version"] == ModelFile.formatVersion)
        #expect(metadata["sizes"] == "3,4,2")
        #expect(metadata["activations"] == "relu,identity")
        #expect(metadata.count == 6 + 4)  // and a checksum per tensor: two layers, a weight and a bias each
    }

    @Test("a Double network survives a round trip bit for bit, and reads as Float rounded")
    func doubleRoundTrip() throws {
        let bytes = ModelFile.encode(Self.doubleNetwork)
        let (network, metadata): (Network<Double>, [String: String]) = try ModelFile.decode(bytes, path: "d")
        #expect(network == Self.doubleNetwork)
        #expect(metadata["activations"] == "tanh,tanh,identity")
        let asFloat = try Self.decodeFloat(bytes).network
        #expect(asFloat == Self.doubleNetwork.converted(to: Float.self))
        // And a Float file read as Double is exact.
        let (widened, _): (Network<Double>, [String: String]) = try ModelFile.decode(ModelFile.encode(Self.floatNetwork), path: "f")
        #expect(widened == Self.floatNetwork.converted(to: Double.self))
    }

    @Test("the caller's metadata cannot overwrite the architecture's")
    func reservedMetadata() throws {
        let bytes = ModelFile.encode(Self.floatNetwork, metadata: ["format": "other", "sizes": "1,1"])
        let (network, metadata) = try Self.decodeFloat(bytes)
        #expect(network == Self.floatNetwork)
        #expect(metadata["format"] == "perceptron" && metadata["sizes"] == "3,4,2")
    }

    @Test("the layout: 8-byte little-endian header length, JSON padded to 8 bytes, [out, in] weights, [out] biases")
    func headerLayout() throws {
        let network = Self.floatNetwork
        let bytes = ModelFile.encode(network, metadata: ["k": "v"])
        let n = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        #expect(bytes.count >= 8 + n)
        #expect((8 + n) % 8 == 0)
        let headerBytes = Array(bytes[8 ..< 8 + n])
        // JSON from "{" to "}", then fewer than 8 spaces of padding.
        let padding = headerBytes.reversed().prefix { $0 == 0x20 }.count
        #expect(padding < 8)
        #expect(headerBytes.first == UInt8(ascii: "{") && headerBytes[n - 1 - padding] == UInt8(ascii: "}"))
        let header = try #require(try JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any])
        #expect(Set(header.keys) == ["__metadata__", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        let metadata = try #require(header["__metadata__"] as? [String: String])
        #expect(metadata["k"] == "v" && metadata["format"] == "perceptron")

        let data = Array(bytes[(8 + n)...])
        var total = 0
        for (l, layer) in network.layers.enumerated() {
            for (name, shape, values) in [("weight", [layer.outputSize, layer.inputSize], layer.weight.elements),
                                          ("bias", [layer.outputSize], layer.bias.elements)] {
                let entry = try #require(header["layers.\(l).\(name)"] as? [String: Any])
                #expect(entry["dtype"] as? String == "F32")
                #expect(entry["shape"] as? [Int] == shape)
                let offsets = try #require(entry["data_offsets"] as? [Int])
                #expect(offsets.count == 2 && offsets[1] - offsets[0] == 4 * values.count)
                // The bytes at those offsets are the values, little-endian, row-major.
                let decoded = stride(from: offsets[0], to: offsets[1], by: 4).map { start in
                    Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[start + $1]) << (8 * UInt32($1)) })
                }
                #expect(decoded == values, "layers.\(l).\(name)")
                total += offsets[1] - offsets[0]
            }
        }
        #expect(data.count == total)
    }

    @Test("extra 2-D tensors (a checkpoint's optimiser state) are stored beside the network and read back apart")
    func extras() throws {
        let extras: [String: Matrix<Float>] = ["velocity.0.weight": randomMatrix(4, 3, seed: 9), "velocity.0.bias": randomMatrix(1, 4, seed: 10)]
        let bytes = ModelFile.encode(Self.floatNetwork, extras: extras)
        #expect(try Self.decodeFloat(bytes).network == Self.floatNetwork)
        let file = try Safetensors.decode(bytes, path: "x")
        #expect(file.tensors["velocity.0.weight"]?.shape == [4, 3])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PerceptronTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("last.safetensors")
        try ModelFile.write(Self.floatNetwork, extras: extras, to: url)
        #expect(try ModelFile.extras(Float.self, from: url) == extras)
        #expect(try ModelFile.read(Float.self, from: url).network == Self.floatNetwork)
        // A plain model has none.
        try ModelFile.write(Self.floatNetwork, to: url)
        #expect(try ModelFile.extras(Float.self, from: url).isEmpty)
        // An extra that is not 2-D is refused.
        var odd = file
        odd.tensors["velocity.0.bias"] = .init(dtype: "F32", shape: [4], bytes: Array(repeating: 0, count: 16))
        try AtomicFile.write(Safetensors.encode(odd), to: url)
        #expect(throws: SafetensorsError.self) { try ModelFile.extras(Float.self, from: url) }
    }

    @Test("Double models store F64 tensors")
    func doubleDtype() throws {
        let file = try Safetensors.decode(ModelFile.encode(Self.doubleNetwork), path: "d")
        #expect(file.tensors.values.allSatisfy { $0.dtype == "F64" })
        #expect(file.tensors["layers.2.weight"]?.shape == [2, 3])
        #expect(file.tensors["layers.2.bias"]?.bytes.count == 2 * 8)
    }

    @Test("Safetensors files round-trip, with and without metadata")
    func safetensorsRoundTrip() throws {
        let file = Safetensors.File(tensors: [
            "b": .init(dtype: "F32", shape: [2], bytes: [1, 2, 3, 4, 5, 6, 7, 8]),
            "a": .init(dtype: "F64", shape: [1, 1], bytes: [9, 9, 9, 9, 9, 9, 9, 9]),
            "empty": .init(dtype: "F32", shape: [0, 3], bytes: []),
        ], metadata: ["x": "y"])
        #expect(try Safetensors.decode(Safetensors.encode(file), path: "p") == file)
        let bare = Safetensors.File(tensors: file.tensors, metadata: [:])
        let bytes = Safetensors.encode(bare)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("__metadata__"))
        #expect(try Safetensors.decode(bytes, path: "p") == bare)
    }

    @Test("writing and reading a file, atomically: no temporary file is left behind")
    func fileRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PerceptronTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try ModelFile.write(Self.floatNetwork, metadata: ["run": "1"], to: url)
        try ModelFile.write(Self.floatNetwork, metadata: ["run": "2"], to: url)  // over the old one
        let (network, metadata) = try ModelFile.read(Float.self, from: url)
        #expect(network == Self.floatNetwork)
        #expect(metadata["run"] == "2")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])

        let missing = folder.appendingPathComponent("missing.safetensors")
        let error = try #require(throws: SafetensorsError.self) { try ModelFile.read(Float.self, from: missing) }
        #expect(error.path == missing.path)
    }

    // MARK: - Corrupt files: each must throw a SafetensorsError, never crash.

    static let corrupt: [(String, [UInt8])] = [
        ("an empty file", []),
        ("4 bytes", [1, 0, 0, 0]),
        ("just the 8-byte length", file(header: "")),
        ("a header length larger than the file", file(header: "{}", claimedLength: 1000)),
        ("a header length of 2⁶⁴ − 1", file(header: "{}", claimedLength: .max)),
        ("a header length of 2⁶³", file(header: "{}", claimedLength: 1 << 63)),
        ("a header that is not JSON", file(header: "this is not json", data: [0, 0, 0, 0])),
        ("a header that is invalid UTF-8", file(headerBytes: Array(#"{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))),
        ("a header that is a JSON array", file(header: "[1, 2, 3]")),
        ("a tensor whose offsets run past the end", validModel(dataCount: 31)),
        ("a tensor whose offsets start past the end",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[40,64]}"#)),
        ("reversed offsets", validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[32,8]}"#)),
        ("negative offsets", validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[-16,8]}"#)),
        ("one offset", validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8]}"#)),
        ("a shape that disagrees with the offsets",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[8,32]}"#)),
        ("a shape that disagrees with the metadata's sizes",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[3,2],"data_offsets":[8,32]}"#)),
        ("a missing weight", validModel(weight: "")),
        ("a missing bias", validModel(bias: "")),
        ("an unknown dtype", validModel(weight: #""layers.0.weight":{"dtype":"I32","shape":[2,3],"data_offsets":[8,32]}"#)),
        ("a missing dtype", validModel(weight: #""layers.0.weight":{"shape":[2,3],"data_offsets":[8,32]}"#)),
        ("a shape of strings", validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":["2","3"],"data_offsets":[8,32]}"#)),
        ("a tensor entry that is not an object", validModel(weight: #""layers.0.weight":[1,2,3]"#)),
        ("shape numbers whose product overflows",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[8,32]}"#)),
        ("a shape of Int.max",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[9223372036854775807],"data_offsets":[8,32]}"#)),
        ("a shape number beyond 64 bits",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[18446744073709551617,3],"data_offsets":[8,32]}"#)),
        ("a shape number of 1e300", validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[1e300,3],"data_offsets":[8,32]}"#)),
        ("negative shape numbers", validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[-2,-3],"data_offsets":[8,32]}"#)),
        ("an offset beyond 64 bits",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,18446744073709551648]}"#)),
        ("no metadata", validModel(metadata: "")),
        ("the wrong format", validModel(metadata: #""__metadata__":{"format":"gguf","format_version":"1","sizes":"3,2","activations":"identity"}"#)),
        ("another format version", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"2","sizes":"3,2","activations":"identity"}"#)),
        ("metadata values that are not strings", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":1}"#)),
        ("metadata that is not an object", validModel(metadata: #""__metadata__":"perceptron""#)),
        ("sizes that are not numbers", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"three,two","activations":"identity"}"#)),
        ("a zero size", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"0,2","activations":"identity"}"#)),
        ("absurd sizes", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"9223372036854775807,9223372036854775807","activations":"identity"}"#)),
        ("an unknown activation", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"3,2","activations":"swish"}"#)),
        ("too many activations", validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"3,2","activations":"relu,identity"}"#)),
    ]

    @Test("a corrupt file throws a SafetensorsError", arguments: corrupt.indices)
    func corruptFileThrows(index: Int) {
        let (what, bytes) = Self.corrupt[index]
        let error = #expect(throws: SafetensorsError.self, "\(what)") { try Self.decodeFloat(bytes) }
        #expect(error?.path == "test.safetensors")
        #expect(error.map { !$0.problem.isEmpty && $0.description.contains("test.safetensors") } ?? false)
    }

    static let malformedLists: [(String, [UInt8])] = [
        ("data_offsets with a non-integer among them",
         validModel(weight: #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,"x",32]}"#)),
        ("sizes with a word among them",
         validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"3,x,2","activations":"identity"}"#)),
        ("activations with an unknown one among them",
         validModel(metadata: #""__metadata__":{"format":"perceptron","format_version":"1","sizes":"3,2","activations":"identity,swish"}"#)),
    ]

    @Test("a list with a malformed entry is rejected, not read around", arguments: malformedLists.indices)
    func malformedListEntriesAreRejected(index: Int) {
        // Dropping the entries that do not parse (compactMap) turns these into valid-looking 3-2 models.
        let (what, bytes) = Self.malformedLists[index]
        #expect(throws: SafetensorsError.self, "\(what)") { try Self.decodeFloat(bytes) }
    }

    @Test("a shape whose byte count wraps around 2⁶⁴ to the right size is still rejected")
    func wrappingShapeIsRejected() {
        // 4 · (2⁶² + 6) = 2⁶⁴ + 24: modulo 2⁶⁴ exactly the 24 bytes the offsets give.
        let bytes = Self.file(header: #"{"t":{"dtype":"F32","shape":[4611686018427387910],"data_offsets":[0,24]}}"#,
                              data: Array(repeating: 0, count: 24))
        #expect(throws: SafetensorsError.self) { try Safetensors.decode(bytes, path: "wrap") }
        // The same header with an honest shape is fine.
        let honest = Self.file(header: #"{"t":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}"#, data: Array(repeating: 0, count: 24))
        #expect(throws: Never.self) { try Safetensors.decode(honest, path: "honest") }
    }

    @Test("every truncation of a valid model throws, none crashes")
    func everyTruncationThrows() {
        let bytes = ModelFile.encode(Self.floatNetwork)
        for length in 0..<bytes.count {
            #expect(throws: SafetensorsError.self, "truncated to \(length) bytes") { try Self.decodeFloat(Array(bytes[..<length])) }
        }
    }
}

@Suite("Model files: checksums and finite parameters")
struct ModelFileIntegrityTests {
    static let network: Network<Float> = randomNetwork(sizes: [6, 5, 3], hidden: .relu, seed: 211)

    @Test("every tensor's CRC-32 is in the metadata, and a file reads back whole")
    func checksummed() throws {
        let bytes = ModelFile.encode(Self.network, extras: ["velocity.0.weight": Self.network.layers[0].weight])
        let (network, metadata) = try ModelFile.decode(bytes, path: "m.safetensors") as (Network<Float>, [String: String])
        #expect(network == Self.network)
        #expect(ModelFile.hasChecksums(metadata))
        #expect(Set(metadata.keys.filter { $0.hasPrefix("crc32.") })
                == ["crc32.layers.0.weight", "crc32.layers.0.bias", "crc32.layers.1.weight", "crc32.layers.1.bias", "crc32.velocity.0.weight"])
    }

    @Test("one changed byte in a tensor is refused, naming the tensor")
    func damaged() throws {
        var bytes = ModelFile.encode(Self.network)
        let header = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        let file = try Safetensors.decode(bytes, path: "m")
        let first = try #require(file.tensors.keys.sorted().first)
        // The tensor's data starts after the 8-byte length and the header; change one of its bytes.
        let offset = 8 + header + (try #require(Self.offsets(of: first, in: bytes))).lowerBound + 1
        bytes[offset] ^= 0x40
        #expect {
            _ = try ModelFile.decode(bytes, path: "m.safetensors") as (Network<Float>, [String: String])
        } throws: { error in
            "\(error)".contains("tensor '\(first)' is damaged")
        }
    }

    @Test("a NaN weight is refused, naming the tensor and the element")
    func notFinite() throws {
        var network = Self.network
        network.layers[1].weight.elements[4] = .nan
        let bytes = ModelFile.encode(network)
        #expect {
            _ = try ModelFile.decode(bytes, path: "m.safetensors") as (Network<Float>, [String: String])
        } throws: { error in
            "\(error)".contains("tensor 'layers.1.weight' holds nan at element 4")
        }
    }

    @Test("a file without checksums (release 0.2.0) still loads, and says so")
    func unchecksummed() throws {
        let (_, metadata) = try ModelFile.decode(ModelFileTests.validModel(), path: "old.safetensors") as (Network<Float>, [String: String])
        #expect(!ModelFile.hasChecksums(metadata))
    }

    /// The data offsets of tensor `name`, read from the file's JSON header.
    static func offsets(of name: String, in bytes: [UInt8]) -> Range<Int>? {
        let length = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + length])) as? [String: Any],
              let tensor = header[name] as? [String: Any], let range = tensor["data_offsets"] as? [Int] else { return nil }
        return range[0] ..< range[1]
    }
}
