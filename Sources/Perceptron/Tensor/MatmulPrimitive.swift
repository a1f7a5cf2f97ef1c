import CDNNL
import Synchronization

extension OneDNN {
    /// Whether this CPU multiplies bfloat16 in hardware (AVX-512 BF16, or AMX): whether the instruction
    /// set oneDNN uses includes `avx512_core_bf16`. Without it (or with `DNNL_MAX_CPU_ISA` set below
    /// it), ``Precision/bf16`` falls back to ``Precision/fp32``.
    public static var supportsBF16: Bool {
        let bf16 = dnnl_cpu_isa_avx512_core_bf16.rawValue
        return dnnl_get_effective_cpu_isa().rawValue & bf16 == bf16
    }

    /// `C ← op(A)·op(B) + β·C`, row-major, with bfloat16 `A` and `B` (their bit patterns), float32 `C`
    /// and float32 accumulation, on oneDNN's matmul primitive (AMX tiles on CPUs that have them).
    ///
    /// The transposes are strides of the memory descriptors: nothing is copied to make them.
    /// The primitive of each shape (with its β) is made the first time and kept: see ``MatmulPrimitive``.
    /// Every β gets its own primitive, so that the result depends only on the operands, never on
    /// what was computed before: a resumed run repeats an uninterrupted one bit for bit. (A momentum
    /// warm-up asks for a new β at every step, and so makes a primitive per step: about a millisecond.)
    public static func gemmBF16(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<UInt16>, lda: Int, b: UnsafePointer<UInt16>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let shape = MatmulPrimitive.Shape(m: m, n: n, k: k, transposeA: transposeA, lda: lda,
                                          transposeB: transposeB, ldb: ldb, ldc: ldc, beta: beta)
        MatmulPrimitive.cached(shape).run(a: a, b: b, c: c)
    }
}

/// One oneDNN matmul primitive: `C ← op(A)·op(B) + β·C` for one shape, its strides and β, with
/// bfloat16 `A` and `B` and float32 `C`.
///
/// Making one compiles a kernel for the shape (about a millisecond), so each is made once, kept in
/// ``cached(_:)``, and run at every step with the step's buffers. β is part of the shape: oneDNN fixes
/// the scale of its accumulation ("sum") post-op when it makes the primitive. When the cache holds
/// ``capacity`` primitives, those of other βs than 0 and 1 (a momentum warm-up's) are dropped. The
/// scratch memory of a primitive is allocated with it: running it allocates nothing.
final class MatmulPrimitive: @unchecked Sendable {  // the handles are used under `lock` only
    struct Shape: Hashable, Sendable {
        var m, n, k: Int
        var transposeA: Bool
        var lda: Int
        var transposeB: Bool
        var ldb, ldc: Int
        var beta: Float
    }

    /// oneDNN's name for the kernel it picked, e.g. `brg:avx512_core_amx_bf16`.
    let implementation: String
    private let primitive: dnnl_primitive_t
    private let stream: dnnl_stream_t
    private let a, b, c, scratchpad: dnnl_memory_t
    private let scratch: UnsafeMutableRawPointer?
    private let lock = Mutex(())

    /// The primitives made so far, by shape.
    private static let made = Mutex<[Shape: MatmulPrimitive]>([:])
    static let capacity = 64
    /// The primitive for `shape`, made the first time it is asked for.
    static func cached(_ shape: Shape) -> MatmulPrimitive {
        made.withLock { made in
            if let primitive = made[shape] { return primitive }
            if made.count >= capacity {  // a warm-up's passing βs go first
                made = made.filter { $0.key.beta == 0 || $0.key.beta == 1 }
                if made.count >= capacity { made.removeAll() }
            }
            let primitive = MatmulPrimitive(shape)
            made[shape] = primitive
            return primitive
        }
    }

    init(_ shape: Shape) {
        var aDesc = Self.descriptor(rows: shape.m, columns: shape.k, transposed: shape.transposeA, leading: shape.lda, type: dnnl_bf16)
        var bDesc = Self.descriptor(rows: shape.k, columns: shape.n, transposed: shape.transposeB, leading: shape.ldb, type: dnnl_bf16)
        var cDesc = Self.descriptor(rows: shape.m, columns: shape.n, transposed: false, leading: shape.ldc, type: dnnl_f32)
        var operation = dnnl_matmul_desc_t()
        Self.check(dnnl_matmul_desc_init(&operation, &aDesc, &bDesc, nil, &cDesc), "dnnl_matmul_desc_init")

        var attributes: dnnl_primitive_attr_t?
        Self.check(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create")
        defer { dnnl_primitive_attr_destroy(attributes) }
        Self.check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "scratchpad mode")
        if shape.beta != 0 {  // C ← β·C + A·B
            var postOps: dnnl_post_ops_t?
            Self.check(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create")
            defer { dnnl_post_ops_destroy(postOps) }
            Self.check(dnnl_post_ops_append_sum(postOps, shape.beta), "dnnl_post_ops_append_sum")
            Self.check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "dnnl_primitive_attr_set_post_ops")
        }

        var descriptor: dnnl_primitive_desc_t?
        Self.check(withUnsafePointer(to: &operation) { dnnl_primitive_desc_create(&descriptor, $0, attributes, OneDNN.engine, nil) },
                   "dnnl_primitive_desc_create (bf16 matmul \(shape))")
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var name: UnsafePointer<CChar>?
        dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name)
        implementation = name.map { String(cString: $0) } ?? "unknown"

        var primitive: dnnl_primitive_t?
        Self.check(dnnl_primitive_create(&primitive, descriptor), "dnnl_primitive_create")
        self.primitive = primitive!
        var stream: dnnl_stream_t?
        Self.check(dnnl_stream_create(&stream, OneDNN.engine, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
        self.stream = stream!

        var scratchDesc = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0)!.pointee
        let scratchBytes = dnnl_memory_desc_get_size(&scratchDesc)
        scratch = scratchBytes > 0 ? UnsafeMutableRawPointer.allocate(byteCount: scratchBytes, alignment: 64) : nil
        a = Self.memory(&aDesc, nil)
        b = Self.memory(&bDesc, nil)
        c = Self.memory(&cDesc, nil)
        scratchpad = Self.memory(&scratchDesc, scratch)
    }

    deinit {
        for memory in [a, b, c, scratchpad] { dnnl_memory_destroy(memory) }
        dnnl_stream_destroy(stream)
        dnnl_primitive_destroy(primitive)
        scratch?.deallocate()
    }

    /// `C ← op(A)·op(B) + β·C` on these buffers (laid out as the shape says).
    func run(a: UnsafePointer<UInt16>, b: UnsafePointer<UInt16>, c: UnsafeMutablePointer<Float>) {
        lock.withLock { _ in
            Self.check(dnnl_memory_set_data_handle(self.a, UnsafeMutableRawPointer(mutating: a)), "set A")
            Self.check(dnnl_memory_set_data_handle(self.b, UnsafeMutableRawPointer(mutating: b)), "set B")
            Self.check(dnnl_memory_set_data_handle(self.c, c), "set C")
            var arguments = (
                dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: self.a),
                dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: self.b),
                dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: self.c),
                dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad))
            let status = withUnsafeMutableBytes(of: &arguments) {  // four arguments, on the stack
                dnnl_primitive_execute(primitive, stream, 4, $0.bindMemory(to: dnnl_exec_arg_t.self).baseAddress)
            }
            Self.check(status, "dnnl_primitive_execute")
        }
    }

    /// A `rows × columns` matrix at row stride `leading` — or, transposed, the transpose of a
    /// row-major `columns × rows` matrix at row stride `leading` (strides `(1, leading)`).
    private static func descriptor(rows: Int, columns: Int, transposed: Bool, leading: Int, type: dnnl_data_type_t) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        var dims: dnnl_dims_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var strides: dnnl_dims_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        (dims.0, dims.1) = (dnnl_dim_t(rows), dnnl_dim_t(columns))
        (strides.0, strides.1) = transposed ? (1, dnnl_dim_t(leading)) : (dnnl_dim_t(leading), 1)
        let status = withUnsafeBytes(of: dims) { d in
            withUnsafeBytes(of: strides) { s in
                dnnl_memory_desc_init_by_strides(&descriptor, 2, d.bindMemory(to: dnnl_dim_t.self).baseAddress,
                                                 type, s.bindMemory(to: dnnl_dim_t.self).baseAddress)
            }
        }
        check(status, "dnnl_memory_desc_init_by_strides [\(rows), \(columns)]")
        return descriptor
    }

    private static func memory(_ descriptor: inout dnnl_memory_desc_t, _ handle: UnsafeMutableRawPointer?) -> dnnl_memory_t {
        var memory: dnnl_memory_t?
        check(dnnl_memory_create(&memory, &descriptor, OneDNN.engine, handle), "dnnl_memory_create")
        return memory!
    }

    private static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        precondition(status == dnnl_success, "oneDNN: \(what()) failed (status \(status.rawValue))")
    }
}

extension OneDNN {
    /// The CPU engine every primitive runs on.
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        let status = dnnl_engine_create(&engine, dnnl_cpu, 0)
        precondition(status == dnnl_success, "oneDNN: cannot create the CPU engine (status \(status.rawValue))")
        return engine!
    }()
}
