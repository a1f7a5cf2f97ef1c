import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

/// A model file as the commands use it: the network — or the committee of networks, for a file of
/// `perceptron ensemble` or several files taken together — and what the metadata says of the run
/// that made it (the dataset, the seed that split validation from test, the classes' names).
struct SavedModel {
    /// The file (for several files taken together, the first).
    let url: URL
    /// The networks: one for a model file, its members for a committee's file.
    let committee: Committee<Float>
    /// The file's metadata (for several files, the first's): for a committee's file, its first
    /// member's dataset, seed, classes and configuration, and the committee's own results.
    let metadata: [String: String]
    /// Each member's own metadata, in member order: a model file's whole metadata, a committee
    /// file's `members.k.` keys; `source` names the file the member came from.
    let memberMetadata: [[String: String]]
    /// The files that carry no checksums (release 0.2.0 and earlier).
    let unchecked: [URL]

    /// The model or committee in the file at `path`.
    init(path: String) throws {
        url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RunError("\(url.path): there is no such file; train a model first with `perceptron train`")
        }
        let (committee, metadata) = try CommitteeFile.read(Float.self, from: url)
        let file = url.path
        if CommitteeFile.isCommittee(metadata) {
            memberMetadata = committee.members.indices.map { k in
                var own = CommitteeFile.metadata(ofMember: k, in: metadata)
                own["source"] = own["source"] ?? "member \(k + 1) of \(file)"
                return own
            }
        } else {
            memberMetadata = [metadata.merging(["source": file]) { _, path in path }]
        }
        (self.committee, self.metadata) = (committee, metadata)
        unchecked = ModelFile.hasChecksums(metadata) ? [] : [url]
        guard committee.classes >= 2 else {
            throw RunError("\(url.path): the network has \(committee.classes) output; a classifier needs one per class, two at least")
        }
        if let names = metadata["classes"], names.split(separator: ",", omittingEmptySubsequences: false).count != committee.classes {
            throw RunError("\(url.path): the metadata names the classes \(names), but the network has \(committee.classes) outputs; the file was altered")
        }
    }

    /// The committee of every member of `models`, in order, with the first one's metadata: they
    /// must read the same inputs and answer the same classes, by the same names, and be different
    /// networks (a file named twice, or a model that is also in a committee's file given beside it,
    /// would have its vote counted twice).
    init(combining models: [SavedModel]) throws {
        guard let first = models.first else { throw RunError("name a model file at least") }
        let members = models.flatMap(\.committee.members)
        let memberMetadata = models.flatMap(\.memberMetadata)
        for k in members.indices {
            if let j = members[..<k].firstIndex(of: members[k]) {
                let (source, earlier) = (memberMetadata[k]["source"] ?? "member \(k + 1)", memberMetadata[j]["source"] ?? "member \(j + 1)")
                throw RunError("\(source) is the same network as \(earlier) (members \(j + 1) and \(k + 1) of the committee): "
                               + "its vote would count twice; name each model once")
            }
        }
        do { committee = try Committee(members) } catch {
            throw RunError("\(memberMetadata[error.member ?? 0]["source"] ?? "?"): the network \(error.problem)")
        }
        for model in models.dropFirst() where model.classes != first.classes {
            throw RunError("\(model.url.path) names its classes \(model.classes.joined(separator: ",")), \(first.url.path) "
                           + "\(first.classes.joined(separator: ",")): a committee's members must answer the same classes")
        }
        url = first.url
        metadata = first.metadata
        self.memberMetadata = memberMetadata
        unchecked = models.flatMap(\.unchecked)
    }

    /// Whether this is a committee (a committee's file, or several files), not one network.
    var isCommittee: Bool { CommitteeFile.isCommittee(metadata) || committee.members.count > 1 }

    /// The one network of a model file; a committee is refused (`report`, `diagnose` take one network).
    var network: Network<Float> {
        get throws {
            guard !isCommittee else { throw UnexpectedCommitteeError(path: url.path, members: String(committee.members.count)) }
            return committee.members[0]
        }
    }

    /// `784-800-10`, or for a committee `committee of 3: 3 × 784-800-10`.
    var architecture: String {
        isCommittee ? "committee of \(committee.members.count): \(committee.architecture)" : committee.architecture
    }

    /// The number of inputs the network (every member) takes.
    var inputs: Int { committee.inputs }

    /// The classes' names, one per output: the metadata's `classes`, or `0`, `1`, … for models
    /// that do not name them (digits).
    var classes: [String] {
        metadata["classes"].map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            ?? (0..<committee.classes).map(String.init)
    }

    /// The run's configuration, if the file carries it (for a committee, the first member's).
    var configuration: RunMetrics.Configuration? {
        metadata["config"].flatMap { try? RunConfiguration.decode(Data($0.utf8), source: url.path) }
    }

    /// The run's settings (the defaults, MNIST with seed 1, if the file does not say).
    var settings: RunSettings { configuration?.run ?? RunSettings() }

    /// The dataset the network was trained on (MNIST if the file does not say).
    var dataset: Dataset { settings.dataset }

    /// Throws unless every member's run tested on the images the first member's did, having chosen
    /// its epoch on none of them (``PerceptronRun/RunSettings/testSplitDifference(_:)``): else a
    /// committee's test images could have chosen one of its members.
    func checkSplits() throws {
        let settings = memberMetadata.map { own in
            own["config"].flatMap { try? RunConfiguration.decode(Data($0.utf8), source: url.path).run } ?? self.settings
        }
        for (k, member) in settings.enumerated().dropFirst() {
            guard let difference = settings[0].testSplitDifference(member) else { continue }
            throw RunError("\(memberMetadata[k]["source"] ?? "?") was trained with \(difference); the committee tests on the split of "
                           + "\(memberMetadata[0]["source"] ?? "?"), its first member")
        }
    }

    /// Throws unless `images` have as many pixels as the network has inputs.
    func checkFits(_ images: LabeledImages) throws {
        guard images.pixelsPerImage == inputs else {
            throw RunError("\(url.path) takes \(inputs) inputs but the images have \(images.pixelsPerImage) pixels")
        }
    }

    /// The probabilities of the classes for one input of bytes (0 background, 255 ink), as many as
    /// the network has inputs: for a committee, the mean of its members'.
    func probabilities(of pixels: [UInt8]) -> [Float] {
        let input = Matrix<Float>(rows: 1, columns: pixels.count, elements: pixels.map { Float($0) / 255 })
        return committee.probabilities(input).elements
    }

    /// Says, on standard error, that a file carries no checksums (release 0.2.0 and earlier), so
    /// damage to it cannot be detected; a command calls it once its work succeeded.
    func noteMissingChecksums() {
        for file in unchecked {
            FileHandle.standardError.write(Data("note: \(file.path) carries no checksums (written by release 0.2.0 or earlier): damage to it cannot be detected\n".utf8))
        }
    }
}
