import CDNNLShim
import Synchronization

/// One oneDNN matmul primitive: the kernel that runs one ``Product`` (a shape, its layout, its
/// precision and its fused post-ops), compiled for this CPU when it is made.
///
/// Making one takes about a millisecond, so each is made once, kept in ``cached(_:)``, and run at
/// every step with the step's buffers. β is part of the product: oneDNN fixes the scale of its
/// accumulation ("sum") post-op when it makes the primitive. When the cache holds 128 primitives,
/// those of other βs than 0 (a momentum warm-up's passing ones) are dropped. The scratch
/// memory of a primitive is allocated with it: running it allocates nothing.
///
/// Where oneDNN runs the product on its gemm (`gemm:jit`, the kernel it picks on AVX2 CPUs) and
/// `β ∉ {0, 1}`, the accumulation `C ← P + β·C` is run as `C ← β·C` (an element-wise primitive,
/// vectorised and split over the cores), then `C ← P + C`. The gemm would do the same two steps,
/// the same roundings, but its `β·C` is a scalar loop on each thread's block: on an AMD EPYC Zen 1,
/// `800×128ᵀ·128×784 + 0.9·C` (B's first weight gradient) took 2.90 ms with it, 2.37 ms this way,
/// 2.11 ms with `β = 1`. Not below ``Parallel/minimumElements`` elements of C, where starting one
/// more primitive costs more than the loop (`10×128ᵀ·128×800`: 54–65 GFLOP/s with the loop, 50–54
/// split). A rule on oneDNN's choice and the size, not a timing: the same run gives the same bits.
final class MatmulPrimitive: @unchecked Sendable {  // the handle is used under `lock` only
    /// oneDNN's name for the kernel it picked, e.g. `brg:avx512_core_bf16`; `gemm:jit, β·C apart`
    /// where the accumulation is split as above.
    let implementation: String
    private let handle: OpaquePointer
    /// `C ← β·C`, before a gemm run with `β = 1`; nil where the product accumulates itself.
    private let scaling: ScalingPrimitive?
    private let lock = Mutex(())

    private static let made = PrimitiveCache<Product, MatmulPrimitive>(capacity: 128, keeping: { $0.beta == 0 })

    /// The primitive for `product`, made the first time it is asked for.
    static func cached(_ product: Product) -> MatmulPrimitive { made.primitive(for: product, making: MatmulPrimitive.init) }

    init(_ product: Product) {
        var handle = Self.make(product, beta: product.beta)
        var name = String(validatingCString: perceptron_matmul_implementation(handle)) ?? "unknown"
        if product.beta != 0 && product.beta != 1 && name.hasPrefix("gemm") && product.m * product.n >= Parallel.minimumElements {
            perceptron_matmul_destroy(handle)
            handle = Self.make(product, beta: 1)
            scaling = ScalingPrimitive(count: product.m * product.n, scale: Float(product.beta))
            name += ", β·C apart"
        } else {
            scaling = nil
        }
        self.handle = handle
        implementation = name
    }

    /// oneDNN's primitive for `product`, accumulating with `beta` instead of its β.
    private static func make(_ product: Product, beta: Double) -> OpaquePointer {
        var shape = perceptron_matmul_shape(
            m: Int64(product.m), n: Int64(product.n), k: Int64(product.k),
            transpose_a: product.transposeA ? 1 : 0, transpose_b: product.transposeB ? 1 : 0,
            lda: Int64(product.lda), ldb: Int64(product.ldb), ldc: Int64(product.n),
            bf16_operands: product.precision == .bf16 ? 1 : 0, bf16_result: product.bf16Result ? 1 : 0,
            bias: product.bias ? 1 : 0, activation: product.activation.oneDNN,
            beta: Float(beta), threads: 0, through_transpose: product.runsThroughTranspose ? 1 : 0)
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = perceptron_matmul_create(&shape, &error, error.count) else {
            preconditionFailure("oneDNN cannot make the matmul primitive of \(product): \(Self.text(error))")
        }
        return handle
    }

    deinit { perceptron_matmul_destroy(handle) }

    /// A C string's text.
    static func text(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs the product on these buffers, laid out as it says; `bias` where it has one.
    func run(a: UnsafeRawPointer, b: UnsafeRawPointer, c: UnsafeMutableRawPointer, bias: UnsafePointer<Float>?) {
        let status = lock.withLock { _ in
            scaling?.run(c.assumingMemoryBound(to: Float.self))
            return perceptron_matmul_run(handle, a, b, c, bias)
        }
        precondition(status == 0, "oneDNN: the matmul primitive failed (status \(status))")
    }
}

/// The primitives made so far, by what they were made for: each is made the first time it is asked
/// for and kept. When `capacity` are held, a new one first drops those `keeping` does not keep (then,
/// if still full, all of them).
final class PrimitiveCache<Key: Hashable & Sendable, Primitive: AnyObject & Sendable>: Sendable {
    private let made = Mutex<[Key: Primitive]>([:])
    private let capacity: Int
    private let keeping: @Sendable (Key) -> Bool

    init(capacity: Int, keeping: @escaping @Sendable (Key) -> Bool = { _ in false }) {
        self.capacity = capacity
        self.keeping = keeping
    }

    func primitive(for key: Key, making make: (Key) -> Primitive) -> Primitive {
        made.withLock { made in
            if let primitive = made[key] { return primitive }
            if made.count >= capacity {
                made = made.filter { keeping($0.key) }
                if made.count >= capacity { made.removeAll() }
            }
            let primitive = make(key)
            made[key] = primitive
            return primitive
        }
    }
}

/// One oneDNN element-wise backward primitive: `δ ← δ ⊙ f′`, with `f′` computed from the
/// activation's outputs `a`, for `count` elements, all float32 or (`bf16`) all bfloat16.
final class DerivativePrimitive: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = Mutex(())

    struct Key: Hashable { var activation: Activation, count: Int, bf16: Bool }
    private static let made = PrimitiveCache<Key, DerivativePrimitive>(capacity: 64)

    static func cached(_ activation: Activation, count: Int, bf16: Bool = false) -> DerivativePrimitive {
        made.primitive(for: Key(activation: activation, count: count, bf16: bf16)) { DerivativePrimitive($0.activation, count: $0.count, bf16: $0.bf16) }
    }

    init(_ activation: Activation, count: Int, bf16: Bool = false) {
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = perceptron_derivative_create(activation.oneDNN, Int64(count), 0, bf16 ? 1 : 0, &error, error.count) else {
            preconditionFailure("oneDNN cannot make the derivative of \(activation) for \(count) elements: \(MatmulPrimitive.text(error))")
        }
        self.handle = handle
    }

    deinit { perceptron_derivative_destroy(handle) }

    func run(outputs: UnsafeRawPointer, delta: UnsafeMutableRawPointer) {
        let status = lock.withLock { _ in perceptron_derivative_run(handle, outputs, delta) }
        precondition(status == 0, "oneDNN: the derivative failed (status \(status))")
    }
}

extension Activation {
    /// The same function in the shim's terms.
    var oneDNN: perceptron_activation {
        switch self {
        case .identity: perceptron_activation_identity
        case .relu: perceptron_activation_relu
        case .sigmoid: perceptron_activation_sigmoid
        case .tanh: perceptron_activation_tanh
        }
    }
}

/// One oneDNN element-wise primitive `x ← s·x`, in place, for `count` float32 elements.
final class ScalingPrimitive: @unchecked Sendable {  // used under its matmul's lock only
    private let handle: OpaquePointer

    init(count: Int, scale: Float) {
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = perceptron_scaling_create(Int64(count), scale, &error, error.count) else {
            preconditionFailure("oneDNN cannot make a scaling of \(count) elements by \(scale): \(MatmulPrimitive.text(error))")
        }
        self.handle = handle
    }

    deinit { perceptron_scaling_destroy(handle) }

    func run(_ x: UnsafeMutablePointer<Float>) {
        let status = perceptron_scaling_run(handle, x)
        precondition(status == 0, "oneDNN: the scaling failed (status \(status))")
    }
}
