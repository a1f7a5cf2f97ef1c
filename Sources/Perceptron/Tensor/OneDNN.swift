import CDNNL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of oneDNN this package uses: its row-major single-precision GEMM, its matmul primitive
/// for bfloat16 products (MatmulPrimitive.swift), the CPU instruction set it dispatches to, and the
/// number of threads it runs on.
public enum OneDNN {
    /// `C ← α·op(A)·op(B) + β·C` with `dnnl_sgemm` (row-major; `op(A)` is `[m, k]`, `op(B)` is `[k, n]`).
    @inlinable
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let status = dnnl_sgemm(
            transposeA ? 84 /* T */ : 78 /* N */, transposeB ? 84 : 78,
            dnnl_dim_t(m), dnnl_dim_t(n), dnnl_dim_t(k),
            alpha, a, dnnl_dim_t(lda), b, dnnl_dim_t(ldb), beta, c, dnnl_dim_t(ldc))
        precondition(status == dnnl_success, "dnnl_sgemm failed (status \(status.rawValue)) for m \(m), n \(n), k \(k)")
    }

    /// The instruction set oneDNN picked for this CPU, e.g. `avx512_core_amx`.
    public static var instructionSet: String {
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_sse41: "sse41"
        case dnnl_cpu_isa_avx: "avx"
        case dnnl_cpu_isa_avx2: "avx2"
        case dnnl_cpu_isa_avx2_vnni: "avx2_vnni"
        case dnnl_cpu_isa_avx512_core: "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: "avx512_core_amx"
        case let other: "isa 0x\(String(other.rawValue, radix: 16))"
        }
    }

    /// oneDNN's version, e.g. `2.6.3`.
    public static var version: String {
        guard let v = dnnl_version() else { return "unknown" }
        return "\(v.pointee.major).\(v.pointee.minor).\(v.pointee.patch)"
    }

    /// A one-line description of the products of a precision, for logs and `metrics.json`:
    /// `oneDNN 2.6.3 sgemm (avx512_core_amx, 2 threads)` for ``Precision/fp32``, `oneDNN 2.6.3 bf16
    /// matmul (avx512_core_amx, 2 threads)` for ``Precision/bf16`` (where the CPU supports it: else
    /// the fp32 description).
    public static func backendDescription(for precision: Precision) -> String {
        let products = precision.supported == .bf16 ? "bf16 matmul" : "sgemm"
        return "oneDNN \(version) \(products) (\(instructionSet), \(threadCount) thread\(threadCount == 1 ? "" : "s"))"
    }

    /// The number of threads oneDNN's GEMMs use.
    ///
    /// oneDNN threads with OpenMP. The library that provides OpenMP (libgomp on Debian) is loaded
    /// with oneDNN, so its `omp_set_num_threads` / `omp_get_max_threads` are looked up at run time:
    /// nothing links against a particular OpenMP.
    public static var threadCount: Int {
        get { getMaxThreads.map { Int($0()) } ?? 1 }
        set { setNumThreads?(Int32(clamping: max(1, newValue))) }
    }

    /// `omp_get_max_threads` and `omp_set_num_threads`, looked up once.
    private static let getMaxThreads = dlsym(defaultHandle, "omp_get_max_threads").map {
        unsafeBitCast($0, to: (@convention(c) () -> Int32).self)
    }
    private static let setNumThreads = dlsym(defaultHandle, "omp_set_num_threads").map {
        unsafeBitCast($0, to: (@convention(c) (Int32) -> Void).self)
    }

    private static var defaultHandle: UnsafeMutableRawPointer? {
        #if canImport(Glibc)
        UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        #else
        UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT on Darwin
        #endif
    }
}
