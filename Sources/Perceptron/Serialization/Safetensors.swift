import Foundation

/// The safetensors file format (Hugging Face): a little-endian `u64` header length `N`, `N` bytes of
/// JSON, then the tensors' bytes.
///
/// ```
/// [8 bytes: N][N bytes: {"__metadata__": {"key": "value", …},
///                         "layers.0.weight": {"dtype": "F32", "shape": [100, 784], "data_offsets": [0, 313600]}, …}]
/// [tensor bytes, little-endian, row-major, offsets relative to the end of the header]
/// ```
/// The header is padded with spaces to a multiple of 8 bytes. Metadata values are strings.
public enum Safetensors {
    /// One tensor: its element type (`F32`, `F64`), shape, and raw little-endian bytes.
    public struct Tensor: Equatable, Sendable {
        /// The element type as the header spells it: `F32` or `F64`, the two this package reads.
        public var dtype: String
        /// The dimensions, outermost first: `[out, in]` for a weight, `[out]` for a bias.
        public var shape: [Int]
        /// The elements' bytes, little-endian and row-major: the product of ``shape`` times the size
        /// of one element.
        public var bytes: [UInt8]

        /// A tensor of these bytes; they are checked against `dtype` and `shape` only when a file is
        /// read (``Safetensors/decode(_:path:)``).
        public init(dtype: String, shape: [Int], bytes: [UInt8]) {
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    /// The tensors of a file by name, and its metadata.
    public struct File: Equatable, Sendable {
        /// The tensors by name (`layers.0.weight`, …).
        public var tensors: [String: Tensor]
        /// The header's `__metadata__`: strings by key (`format`, `sizes`, …).
        public var metadata: [String: String]

        /// A file of these tensors and metadata; ``Safetensors/encode(_:)`` lays it out as bytes.
        public init(tensors: [String: Tensor], metadata: [String: String]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    /// The bytes of a file: tensors laid out in the order of their names.
    public static func encode(_ file: File) -> [UInt8] {
        var header: [String: Any] = [:]
        if !file.metadata.isEmpty { header["__metadata__"] = file.metadata }
        var offset = 0
        for name in file.tensors.keys.sorted() {
            let tensor = file.tensors[name]!
            header[name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [offset, offset + tensor.bytes.count]] as [String: Any]
            offset += tensor.bytes.count
        }
        var json = Array(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        for name in file.tensors.keys.sorted() { bytes.append(contentsOf: file.tensors[name]!.bytes) }
        return bytes
    }

    /// Reads a file's bytes, checking every size and offset against the real length before using it.
    /// `path` only names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(SafetensorsError) -> File {
        guard bytes.count >= 8 else { throw .init(path, "the file is \(bytes.count) bytes, shorter than the 8-byte header length") }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw .init(path, "the header claims \(headerLength) bytes but only \(bytes.count - 8) follow (truncated?)")
        }
        let dataStart = 8 + Int(headerLength)
        let json = Data(bytes[8..<dataStart])
        guard let header = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw .init(path, "the header is not a JSON object")
        }
        let dataLength = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [String: Tensor] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let entries = value as? [String: Any] else { throw .init(path, "__metadata__ is not an object") }
                for (key, value) in entries {
                    guard let text = value as? String else { throw .init(path, "metadata '\(key)' is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard let entry = value as? [String: Any],
                  let dtype = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [Any])?.map({ $0 as? Int }), !shape.contains(nil),
                  let offsetList = (entry["data_offsets"] as? [Any])?.map({ $0 as? Int }), offsetList.count == 2, !offsetList.contains(nil)
            else { throw .init(path, "tensor '\(name)' lacks a dtype, a shape of integers or two data_offsets") }
            let dims = shape.map { $0! }
            let offsets = offsetList.map { $0! }
            guard let size = elementSize[dtype] else { throw .init(path, "tensor '\(name)' has dtype \(dtype); only \(elementSize.keys.sorted().joined(separator: ", ")) are read") }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength else {
                throw .init(path, "tensor '\(name)' lies at bytes \(offsets[0])..<\(offsets[1]) but the data are \(dataLength) bytes (truncated?)")
            }
            var expected = size
            for dim in dims {
                let (product, overflow) = expected.multipliedReportingOverflow(by: dim)
                guard dim >= 0, !overflow else { throw .init(path, "tensor '\(name)' has an impossible shape \(dims)") }
                expected = product
            }
            guard expected == offsets[1] - offsets[0] else {
                throw .init(path, "tensor '\(name)' of shape \(dims) and dtype \(dtype) needs \(expected) bytes, its offsets give \(offsets[1] - offsets[0])")
            }
            tensors[name] = Tensor(dtype: dtype, shape: dims, bytes: Array(bytes[(dataStart + offsets[0]) ..< (dataStart + offsets[1])]))
        }
        return File(tensors: tensors, metadata: metadata)
    }

    static let elementSize = ["F32": 4, "F64": 8]
}

/// What was wrong with a safetensors file.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file, as its path names it (the `path` given to ``Safetensors/decode(_:path:)``).
    public var path: String
    /// What is wrong with it, in words: `the header is not a JSON object`, ….
    public var problem: String

    init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): not a usable safetensors model: \(problem)" }
}
