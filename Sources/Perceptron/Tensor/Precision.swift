/// The number format the matrix products read.
///
/// ```
/// fp32   C = A·B in float32                                     (24-bit significand)
/// bf16   C = bf16(A)·bf16(B), accumulated in float32            (8-bit significand in, float32 out)
/// ```
/// With `bf16` the parameters stay float32 (the master weights every update changes); only the
/// products' inputs are rounded, as each step needs them (``BFloat16Matrix``), and the products run
/// on oneDNN's matmul primitive with bfloat16 operands (a ``Product`` of this precision).
public enum Precision: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// `C = A·B` in float32: operands, accumulation and result (24-bit significand).
    case fp32
    /// `C = bf16(A)·bf16(B)`, accumulated in float32: operands rounded to bfloat16 (8-bit
    /// significand), parameters and result in float32.
    case bf16

    public var description: String { rawValue }

    /// Whether this CPU computes in this precision: `fp32` always, `bf16` where oneDNN finds
    /// bfloat16 instructions (``OneDNN/supportsBF16``).
    public var isSupported: Bool {
        switch self {
        case .fp32: true
        case .bf16: OneDNN.supportsBF16
        }
    }

    /// This precision where the CPU supports it, else `fp32`: what a workspace asked for this one
    /// computes in.
    public var supported: Precision { isSupported ? self : .fp32 }

    /// The default for training: `bf16` where the CPU has it and its bfloat16 products outrun
    /// float32 ones (``OneDNN/bf16OutrunsFP32``: AMX, or an AMD CPU with AVX-512 BF16), else
    /// `fp32` — the fastest with unchanged accuracy (Sapphire Rapids with AMX, `make bench
    /// ARGS=--accuracy`: a 784-800-10 epoch 0.64–0.78 s against 1.12–1.28 s, test accuracy after
    /// 10 epochs 98.27 % in both; an Intel Xeon without AMX, 2026-12-06: 1.11 s in bf16 against
    /// 0.82 s in fp32).
    public static var preferred: Precision { OneDNN.bf16OutrunsFP32 ? .bf16 : .fp32 }
}
