/// The number format the matrix products read.
///
/// ```
/// fp32   C = A·B in float32                                     (24-bit significand)
/// bf16   C = bf16(A)·bf16(B), accumulated in float32            (8-bit significand in, float32 out)
/// ```
/// With `bf16` the parameters stay float32 (the master weights every update changes); only the
/// products' inputs are rounded, as each step needs them.
public enum Precision: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case fp32
    case bf16

    public var description: String { rawValue }
}
