/// Why networks cannot form a ``Committee``: there are none, or one of them reads other inputs or
/// gives other classes than the first. ``member`` counts from 0, in the order given; the messages
/// count from 1 (`member 2` is the second).
public enum CommitteeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No network was given.
    case noMembers
    /// Member `member` takes `inputs` inputs; the first takes `firstInputs`.
    case inputsDiffer(member: Int, inputs: Int, firstInputs: Int)
    /// Member `member` gives `classes` classes; the first gives `firstClasses`.
    case classesDiffer(member: Int, classes: Int, firstClasses: Int)

    /// The member that does not fit, if one does not.
    public var member: Int? {
        switch self {
        case .noMembers: nil
        case .inputsDiffer(let member, _, _), .classesDiffer(let member, _, _): member
        }
    }

    /// What is wrong, without naming the member: `takes 100 inputs, the first member 784`.
    public var problem: String {
        switch self {
        case .noMembers:
            "a committee needs one network at least"
        case .inputsDiffer(_, let inputs, let first):
            "takes \(inputs) inputs, the first member \(first): a committee's members must read the same images"
        case .classesDiffer(_, let classes, let first):
            "gives \(classes) classes, the first member \(first): a committee's members must answer the same classes"
        }
    }

    /// `member 2 of the committee takes 100 inputs, the first member 784: …`
    public var description: String {
        member.map { "member \($0 + 1) of the committee \(problem)" } ?? problem
    }
}
