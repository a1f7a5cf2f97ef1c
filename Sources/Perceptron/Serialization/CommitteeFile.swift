import Foundation

/// A ``Committee`` as one safetensors file: every member's network, each laid out as in a
/// ``ModelFile`` under its own prefix, in the same format and version.
///
/// Tensors, for each member `k` and each of its layers `l` (both 0-based):
/// ```
/// members.k.layers.l.weight   [out, in]   member k's Wₗ
/// members.k.layers.l.bias     [out]       member k's bₗ
/// ```
/// Metadata (all strings): `format` = `perceptron`, `format_version` = `1`, `members` = `K` (the
/// marker of a committee's file), `members.k.sizes` = `784,100,10` and `members.k.activations` =
/// `relu,identity` for each member, `crc32.NAME` for every tensor (as in a model file: a damaged
/// tensor is refused by name, and so is a network with a parameter that is not finite), the
/// committee's own metadata as the caller gives it, and each member's under `members.k.`
/// (`members.0.source` = the file it came from, say).
///
/// A model file of one network reads as a committee of one (``decode(_:path:)``); a committee's
/// file read as one network is refused with an ``UnexpectedCommitteeError``.
public enum CommitteeFile {
    /// The metadata key that marks a committee's file and holds its number of members.
    public static let membersKey = "members"
    /// The most members a file may hold.
    public static let maximumMembers = 10_000

    /// The file's bytes for `committee`, with `metadata` (the committee's) and `memberMetadata[k]`
    /// (member `k`'s, stored under `members.k.`) added to the architecture's, which wins.
    public static func encode<Scalar: NetworkScalar>(_ committee: Committee<Scalar>, metadata: [String: String] = [:],
                                                     memberMetadata: [[String: String]] = []) -> [UInt8] {
        var tensors: [String: Safetensors.Tensor] = [:]
        var allMetadata = metadata.filter { !$0.key.hasPrefix(membersKey + ".") }
        for (k, member) in committee.members.enumerated() {
            let prefix = memberPrefix(k)
            if k < memberMetadata.count {
                for (key, value) in memberMetadata[k] { allMetadata[prefix + key] = value }
            }
            ModelFile.add(member, prefix: prefix, to: &tensors, metadata: &allMetadata)
        }
        allMetadata[membersKey] = String(committee.members.count)
        return ModelFile.encode(tensors, metadata: allMetadata)
    }

    /// Writes `committee` to `url` atomically (``AtomicFile``), as ``encode(_:metadata:memberMetadata:)`` lays it out.
    public static func write<Scalar: NetworkScalar>(_ committee: Committee<Scalar>, metadata: [String: String] = [:],
                                                    memberMetadata: [[String: String]] = [], to url: URL) throws {
        try AtomicFile.write(encode(committee, metadata: metadata, memberMetadata: memberMetadata), to: url)
    }

    /// Reads a committee and its file's metadata from `url`: a committee's file, or a model file
    /// as a committee of one.
    public static func read<Scalar: NetworkScalar>(_: Scalar.Type = Scalar.self, from url: URL) throws(SafetensorsError)
        -> (committee: Committee<Scalar>, metadata: [String: String]) {
        try decode(ModelFile.contents(of: url), path: url.path)
    }

    /// A committee and the file's metadata from a file's bytes — a committee's file, or a model
    /// file as a committee of one; `path` names the file in errors.
    public static func decode<Scalar: NetworkScalar>(_ bytes: [UInt8], path: String) throws(SafetensorsError)
        -> (committee: Committee<Scalar>, metadata: [String: String]) {
        let file = try Safetensors.decode(bytes, path: path)
        try ModelFile.checkFormat(of: file, path: path)
        guard let count = file.metadata[membersKey] else {
            return (Committee(try ModelFile.network(in: file, prefix: "", path: path)), file.metadata)
        }
        guard let members = Int(count), (1...maximumMembers).contains(members) else {
            throw SafetensorsError(path, "metadata members '\(count)' is not a number of members from 1 to \(maximumMembers)")
        }
        guard ModelFile.hasChecksums(file.metadata) else {
            throw SafetensorsError(path, "a committee's file carries its tensors' checksums, this one none: the file was altered after it was written")
        }
        var networks: [Network<Scalar>] = []
        for k in 0..<members { networks.append(try ModelFile.network(in: file, prefix: memberPrefix(k), path: path)) }
        do {
            return (try Committee(networks), file.metadata)
        } catch {
            throw SafetensorsError(path, "\(error)")
        }
    }

    /// Whether a file's `metadata` is a committee's (it says how many `members`).
    public static func isCommittee(_ metadata: [String: String]) -> Bool {
        metadata[membersKey] != nil
    }

    /// Member `k`'s own metadata in a committee file's `metadata`: the keys under `members.k.`,
    /// without that prefix (its `sizes` and `activations` among them).
    public static func metadata(ofMember k: Int, in metadata: [String: String]) -> [String: String] {
        let prefix = memberPrefix(k)
        return Dictionary(uniqueKeysWithValues: metadata.compactMap { key, value in
            key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
        })
    }

    /// `members.k.`
    static func memberPrefix(_ k: Int) -> String { "\(membersKey).\(k)." }
}
