/// A failure of a run or a command, told in one line: what went wrong and what to do.
public struct RunError: Error, CustomStringConvertible {
    /// What went wrong and what to do, in one line.
    public let description: String
    /// A failure told as `description`.
    public init(_ description: String) { self.description = description }
}
