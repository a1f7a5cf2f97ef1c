import CDNNLShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of oneDNN this package uses: its matmul primitive (one per ``Product``), which runs
/// every product of training and inference, its element-wise derivatives, its single-precision GEMM
/// (the general ``Matrix/multiply(_:_:transposeA:transposeB:into:alpha:beta:)``), the instruction set
/// it dispatches to, and the number of threads it runs on. All of it goes through CDNNLShim, one C
/// interface over oneDNN 2 and 3.
public enum OneDNN {
    /// `C ← α·op(A)·op(B) + β·C` with `dnnl_sgemm` (row-major; `op(A)` is `[m, k]`, `op(B)` is `[k, n]`).
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let status = perceptron_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k),
                                      alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        precondition(status == 0, "dnnl_sgemm failed (status \(status)) for m \(m), n \(n), k \(k)")
    }

    /// The instruction set oneDNN picked for this CPU, e.g. `avx512_core_bf16`.
    public static var instructionSet: String { String(cString: perceptron_dnnl_isa()) }

    /// oneDNN's version, e.g. `2.6.3`.
    public static var version: String {
        let v = Int(perceptron_dnnl_version())
        return "\(v / 10000).\(v / 100 % 100).\(v % 100)"
    }

    /// Whether this CPU multiplies bfloat16 in hardware (AVX-512 BF16, or AMX): whether the instruction
    /// set oneDNN uses includes `avx512_core_bf16`. Without it (or with `DNNL_MAX_CPU_ISA` set below
    /// it), ``Precision/bf16`` falls back to ``Precision/fp32``.
    public static var supportsBF16: Bool { perceptron_dnnl_has_bf16() != 0 }

    /// Whether bfloat16 products are faster than float32 ones on this CPU, by rule (the same on every
    /// run of a machine, so the default precision never depends on a timing): where oneDNN uses AMX,
    /// or on an AMD CPU with AVX-512 BF16. An Intel core with AVX-512 BF16 but no AMX issues
    /// VDPBF16PS on one port and float32 FMAs on two: `brg:avx512_core_bf16` ran B's big products
    /// at 163–166 GFLOP/s where float32 ran at 190–200 (Intel Xeon family 6 model 207, 2 cores,
    /// 2026-12-06); on Zen 4 and Zen 5 the same primitive runs at 680–810 against about 400.
    public static var bf16OutrunsFP32: Bool { perceptron_dnnl_bf16_outruns_fp32() != 0 }

    /// Whether the CPU is an Intel one (CPUID's vendor "GenuineIntel"): where some products want
    /// another way than on AMD's (``Product/float32ForwardThroughTranspose``).
    public static let cpuIsIntel = perceptron_cpu_vendor() == 1

    /// A one-line description of the products of a precision, for logs and `metrics.json`:
    /// `oneDNN 2.6.3 matmul fp32 (avx512_core_bf16, 2 threads)`, or `… matmul bf16 …` for
    /// ``Precision/bf16`` where the CPU supports it.
    public static func backendDescription(for precision: Precision) -> String {
        "oneDNN \(version) matmul \(precision.supported) (\(instructionSet), \(threadCount) thread\(threadCount == 1 ? "" : "s"))"
    }

    /// The number of threads oneDNN's products use.
    ///
    /// oneDNN threads with OpenMP. The library that provides OpenMP (libgomp on Debian) is loaded
    /// with oneDNN, so its `omp_set_num_threads` / `omp_get_max_threads` are looked up at run time:
    /// nothing links against a particular OpenMP.
    public static var threadCount: Int {
        get { OpenMP.maxThreads.map { Int($0()) } ?? 1 }
        set { OpenMP.setNumThreads?(Int32(clamping: max(1, newValue))) }
    }
}

/// The OpenMP runtime's entry points, looked up once in the process (oneDNN loads the runtime).
enum OpenMP {
    static let maxThreads = symbol("omp_get_max_threads", as: (@convention(c) () -> Int32).self)
    static let setNumThreads = symbol("omp_set_num_threads", as: (@convention(c) (Int32) -> Void).self)
    static let threadNumber = symbol("omp_get_thread_num", as: (@convention(c) () -> Int32).self)
    static let teamSize = symbol("omp_get_num_threads", as: (@convention(c) () -> Int32).self)
    /// `GOMP_parallel(body, data, threads, flags)`: libgomp's parallel region (LLVM's libomp has it too).
    static let parallel = symbol("GOMP_parallel", as: (@convention(c) (
        @convention(c) (UnsafeMutableRawPointer?) -> Void, UnsafeMutableRawPointer?, UInt32, UInt32) -> Void).self)

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        #if canImport(Glibc)
        let all = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        #else
        let all = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT on Darwin
        #endif
        return dlsym(all, name).map { unsafeBitCast($0, to: type) }
    }
}
