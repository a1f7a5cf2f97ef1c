import Foundation

/// A network as a safetensors file.
///
/// Tensors, for each layer `l` (0-based, from the input):
/// ```
/// layers.l.weight   [out, in]   W: row j holds the weights into unit j
/// layers.l.bias     [out]       b
/// ```
/// Metadata (all strings): `format` = `perceptron`, `format_version` = `1`, `sizes` = `784,100,10`,
/// `activations` = `sigmoid,identity` (one per layer), plus whatever the caller adds (the run's
/// configuration and results). A checkpoint (`last.safetensors`) also holds the optimiser's state,
/// as further 2-D tensors such as `velocity.0.weight`.
///
/// Every tensor's bytes carry a checksum, `crc32.NAME` = its ``CRC32`` in 8 hex digits, checked on
/// reading: a damaged tensor is refused by name. Files written before checksums were (release
/// 0.2.0 and earlier) have none and still load; ``hasChecksums(_:)`` tells them apart. A network
/// whose weights or biases are not all finite is refused too.
///
/// A committee of networks has a file of its own, in the same format (``CommitteeFile``): read
/// here, it is refused with an ``UnexpectedCommitteeError``.
public enum ModelFile {
    /// The `format_version` this build writes, and the only one it reads.
    public static let formatVersion = "1"

    /// The file's bytes for `network`, with `metadata` added to the architecture's.
    public static func encode<Scalar: NetworkScalar>(_ network: Network<Scalar>, metadata: [String: String] = [:],
                                                     extras: [String: Matrix<Scalar>] = [:]) -> [UInt8] {
        var tensors: [String: Safetensors.Tensor] = [:]
        for (name, matrix) in extras {
            precondition(!name.hasPrefix("layers."), "extra tensor names must not start with layers.")
            tensors[name] = .init(dtype: Scalar.safetensorsType, shape: matrix.shape, bytes: littleEndianBytes(matrix.elements))
        }
        var allMetadata = metadata
        add(network, prefix: "", to: &tensors, metadata: &allMetadata)
        return encode(tensors, metadata: allMetadata)
    }

    /// Adds `network`'s tensors under `prefix` (`layers.l.weight`, `layers.l.bias` after it) and its
    /// architecture (`sizes`, `activations` after it), over any keys of those names.
    static func add<Scalar: NetworkScalar>(_ network: Network<Scalar>, prefix: String, to tensors: inout [String: Safetensors.Tensor],
                                           metadata: inout [String: String]) {
        for (l, layer) in network.layers.enumerated() {
            tensors[prefix + "layers.\(l).weight"] = .init(dtype: Scalar.safetensorsType, shape: layer.weight.shape, bytes: littleEndianBytes(layer.weight.elements))
            tensors[prefix + "layers.\(l).bias"] = .init(dtype: Scalar.safetensorsType, shape: [layer.bias.columns], bytes: littleEndianBytes(layer.bias.elements))
        }
        metadata[prefix + "sizes"] = network.sizes.map(String.init).joined(separator: ",")
        metadata[prefix + "activations"] = network.layers.map(\.activation.rawValue).joined(separator: ",")
    }

    /// The bytes of a file of `tensors`, with `metadata`, the format's name and version and every
    /// tensor's checksum.
    static func encode(_ tensors: [String: Safetensors.Tensor], metadata: [String: String]) -> [UInt8] {
        var allMetadata = metadata
        allMetadata["format"] = "perceptron"
        allMetadata["format_version"] = formatVersion
        for (name, tensor) in tensors { allMetadata[checksumKey(name)] = hex(CRC32.checksum(tensor.bytes)) }
        return Safetensors.encode(.init(tensors: tensors, metadata: allMetadata))
    }

    /// Whether a file's `metadata` holds its tensors' checksums (files of release 0.2.0 and earlier do not).
    public static func hasChecksums(_ metadata: [String: String]) -> Bool {
        metadata.keys.contains { $0.hasPrefix(checksumPrefix) }
    }

    private static let checksumPrefix = "crc32."
    private static func checksumKey(_ tensor: String) -> String { checksumPrefix + tensor }
    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Writes `network` to `url` atomically: a temporary file in the same folder, flushed, then renamed,
    /// so an interrupted write leaves the old file or the new one, whole.
    public static func write<Scalar: NetworkScalar>(_ network: Network<Scalar>, metadata: [String: String] = [:],
                                                    extras: [String: Matrix<Scalar>] = [:], to url: URL) throws {
        try AtomicFile.write(encode(network, metadata: metadata, extras: extras), to: url)
    }

    /// The 2-D tensors of a file that are not the network's (a checkpoint's optimiser state).
    public static func extras<Scalar: NetworkScalar>(_: Scalar.Type = Scalar.self, from url: URL) throws -> [String: Matrix<Scalar>] {
        let file = try Safetensors.decode(contents(of: url), path: url.path)
        var extras: [String: Matrix<Scalar>] = [:]
        for (name, tensor) in file.tensors where !name.hasPrefix("layers.") {
            guard tensor.shape.count == 2 else { throw SafetensorsError(url.path, "tensor '\(name)' has shape \(tensor.shape), not [rows, columns]") }
            let values: [Scalar] = try self.tensor(name, tensor.shape, in: file, as: Scalar.self, path: url.path, isParameter: false)
            extras[name] = Matrix(rows: tensor.shape[0], columns: tensor.shape[1], elements: values)
        }
        return extras
    }

    /// Reads a network and its metadata from `url`.
    public static func read<Scalar: NetworkScalar>(_: Scalar.Type = Scalar.self, from url: URL) throws -> (network: Network<Scalar>, metadata: [String: String]) {
        try decode(contents(of: url), path: url.path)
    }

    /// The bytes of the file at `url`.
    static func contents(of url: URL) throws(SafetensorsError) -> [UInt8] {
        do { return Array(try Data(contentsOf: url)) } catch {
            throw SafetensorsError(url.path, "cannot be read (\(error.localizedDescription))")
        }
    }

    /// A network and its metadata from a file's bytes; `path` names it in errors. A committee's
    /// file (``CommitteeFile``) is refused with an ``UnexpectedCommitteeError``.
    public static func decode<Scalar: NetworkScalar>(_ bytes: [UInt8], path: String) throws -> (network: Network<Scalar>, metadata: [String: String]) {
        let file = try Safetensors.decode(bytes, path: path)
        try checkFormat(of: file, path: path)
        if let members = file.metadata[CommitteeFile.membersKey] { throw UnexpectedCommitteeError(path: path, members: members) }
        return (try network(in: file, prefix: "", path: path), file.metadata)
    }

    /// Throws unless `file`'s metadata says `format` = `perceptron` and this build's `format_version`.
    static func checkFormat(of file: Safetensors.File, path: String) throws(SafetensorsError) {
        guard file.metadata["format"] == "perceptron" else {
            throw SafetensorsError(path, "its metadata does not say format=perceptron (not a Perceptron model?)")
        }
        guard file.metadata["format_version"] == formatVersion else {
            throw SafetensorsError(path, "format_version \(file.metadata["format_version"] ?? "missing"); this build reads version \(formatVersion)")
        }
    }

    /// The network whose architecture is the metadata's `sizes` and `activations` after `prefix`
    /// and whose tensors are `layers.l.weight` and `layers.l.bias` after it, each checked.
    static func network<Scalar: NetworkScalar>(in file: Safetensors.File, prefix: String, path: String) throws(SafetensorsError) -> Network<Scalar> {
        let (sizesText, activationsText) = (file.metadata[prefix + "sizes"] ?? "", file.metadata[prefix + "activations"] ?? "")
        let sizeFields = sizesText.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        let activationFields = activationsText.split(separator: ",", omittingEmptySubsequences: false).map { Activation(rawValue: String($0)) }
        let sizes = sizeFields.compactMap { $0 }
        let activations = activationFields.compactMap { $0 }
        guard sizes.count == sizeFields.count, activations.count == activationFields.count, sizes.count >= 2, sizes.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }), activations.count == sizes.count - 1 else {
            throw SafetensorsError(path, "metadata \(prefix)sizes '\(sizesText)' and \(prefix)activations '\(activationsText)' do not describe a network")
        }
        var layers: [Dense<Scalar>] = []
        for l in 0..<activations.count {
            let (inputs, outputs) = (sizes[l], sizes[l + 1])
            let weight = try tensor(prefix + "layers.\(l).weight", [outputs, inputs], in: file, as: Scalar.self, path: path)
            let bias = try tensor(prefix + "layers.\(l).bias", [outputs], in: file, as: Scalar.self, path: path)
            layers.append(Dense(weight: Matrix(rows: outputs, columns: inputs, elements: weight),
                                bias: Matrix(rows: 1, columns: outputs, elements: bias), activation: activations[l]))
        }
        return Network(layers: layers)
    }

    /// The values of tensor `name` of `file`, which must have `shape` and, where the file has
    /// checksums, its recorded one; a network's parameter (`isParameter`) must also be finite.
    private static func tensor<Scalar: NetworkScalar>(_ name: String, _ shape: [Int], in file: Safetensors.File, as: Scalar.Type,
                                                      path: String, isParameter: Bool = true) throws(SafetensorsError) -> [Scalar] {
        guard let tensor = file.tensors[name] else { throw SafetensorsError(path, "tensor '\(name)' is missing") }
        guard tensor.shape == shape else { throw SafetensorsError(path, "tensor '\(name)' has shape \(tensor.shape), the metadata's sizes need \(shape)") }
        if hasChecksums(file.metadata) {
            let computed = hex(CRC32.checksum(tensor.bytes))
            guard let recorded = file.metadata[checksumKey(name)] else {
                throw SafetensorsError(path, "tensor '\(name)' has no checksum, though the file's other tensors do: the file was altered after it was written")
            }
            guard computed == recorded else {
                throw SafetensorsError(path, "tensor '\(name)' is damaged: its bytes' CRC-32 is \(computed), the file recorded \(recorded); "
                                       + "the file changed after it was written (a disk or copy error?): restore a copy or train again")
            }
        }
        let values: [Scalar]
        switch tensor.dtype {
        case "F32": values = fromLittleEndian(tensor.bytes, as: Float.self).map { Scalar($0) }
        case "F64": values = fromLittleEndian(tensor.bytes, as: Double.self).map { Scalar($0) }
        default: throw SafetensorsError(path, "tensor '\(name)' has dtype \(tensor.dtype), not F32 or F64")
        }
        if isParameter, let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw SafetensorsError(path, "tensor '\(name)' holds \(values[bad]) at element \(bad): a network with a NaN or infinite "
                                   + "parameter cannot predict (was it saved after training diverged?)")
        }
        return values
    }

    /// The values' IEEE 754 bits, least significant byte first: on a little-endian CPU, their memory
    /// as it is (one copy: a checkpoint of the record network's 6.6 M parameters is written every
    /// epoch; a cast per element took about 2 % of a run).
    private static func littleEndianBytes<Scalar: NetworkScalar>(_ values: [Scalar]) -> [UInt8] {
        #if _endian(little)
        if Scalar.self == Float.self || Scalar.self == Double.self { return values.withUnsafeBytes { Array($0) } }
        #endif
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * MemoryLayout<Scalar>.size)
        for value in values {
            if let f = value as? Float {
                withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: Double(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// The values whose IEEE 754 bits `bytes` holds, least significant byte first (on a little-endian
    /// CPU, one copy of the memory, as ``littleEndianBytes(_:)``).
    private static func fromLittleEndian<T: BinaryFloatingPoint>(_ bytes: [UInt8], as: T.Type) -> [T] {
        let size = MemoryLayout<T>.size
        #if _endian(little)
        if T.self == Float.self || T.self == Double.self {
            let count = bytes.count / size
            return [T](unsafeUninitializedCapacity: count) { values, initialized in
                bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(values).copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<(count * size)])) }
                initialized = count
            }
        }
        #endif
        return stride(from: 0, to: bytes.count, by: size).map { start in
            var bits: UInt64 = 0
            for i in 0..<size { bits |= UInt64(bytes[start + i]) << (8 * UInt64(i)) }
            return size == 4 ? T(Float(bitPattern: UInt32(bits))) : T(Double(bitPattern: bits))
        }
    }
}
