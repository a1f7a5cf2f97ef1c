/// A committee's file (``CommitteeFile``) read where one network is expected (``ModelFile``).
public struct UnexpectedCommitteeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file, as its path names it.
    public var path: String
    /// Its metadata's number of members, as written.
    public var members: String

    /// The error for the committee's file at `path`, of `members` members.
    public init(path: String, members: String) {
        self.path = path
        self.members = members
    }

    /// `E.safetensors holds a committee of 3 networks (written by perceptron ensemble), not one network: …`
    public var description: String {
        "\(path) holds a committee of \(members) networks (written by `perceptron ensemble`), not one network: "
            + "evaluate, predict and serve take it as it is; where one network is needed, give one member's own model file"
    }
}
