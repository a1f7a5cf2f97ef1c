// The few oneDNN calls Perceptron makes, behind one C interface that builds against oneDNN 2.x
// and 3.x (whose memory descriptors, primitive-descriptor creation, scales and eltwise post-ops
// differ): a matmul primitive with fused post-ops, an element-wise backward primitive, a
// scaling, and the queries. shim.c picks the API by DNNL_VERSION_MAJOR.
#ifndef PERCEPTRON_DNNL_H
#define PERCEPTRON_DNNL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The element-wise functions a matmul can apply to its result, and their derivatives.
typedef enum {
    perceptron_activation_identity = 0,
    perceptron_activation_relu = 1,
    perceptron_activation_sigmoid = 2,
    perceptron_activation_tanh = 3,
} perceptron_activation;

/// One product `C ← f(op(A)·op(B) + bias) + β·C`, row-major, as a oneDNN matmul primitive.
/// `op(A)` is `[m, k]`, `op(B)` is `[k, n]`; a transposed operand is the transpose of a row-major
/// matrix with row stride `ld` (strides (1, ld)), so nothing is copied to make it.
typedef struct {
    int64_t m, n, k;
    int transpose_a, transpose_b;
    int64_t lda, ldb, ldc;
    int bf16_operands;   ///< A and B hold bfloat16 bit patterns (else float32)
    int bf16_result;     ///< C is bfloat16 (else float32)
    int bias;            ///< a float32 bias [n] added to every row
    perceptron_activation activation;  ///< applied after the bias
    float beta;          ///< 0: C is overwritten; else the sum post-op C ← … + β·C
    int threads;         ///< 0: every thread oneDNN has; else at most this many
    int through_transpose;  ///< computed as `Cᵀ = op(B)ᵀ·op(A)ᵀ` in float32 into a buffer of its own,
                            ///< then written transposed into C with the bias and the activation by
                            ///< perceptron_transpose_with_bias (only β = 0, the identity or ReLU)
} perceptron_matmul_shape;

typedef struct perceptron_matmul perceptron_matmul;

/// Makes the primitive for `shape` (its kernel is compiled for this CPU now), or returns NULL with
/// oneDNN's complaint in `error`.
perceptron_matmul *perceptron_matmul_create(const perceptron_matmul_shape *shape, char *error, size_t error_size);
/// Runs it on these buffers (laid out as the shape says); `bias` may be NULL when the shape has
/// none. Returns oneDNN's status (0: success).
int perceptron_matmul_run(perceptron_matmul *product, const void *a, const void *b, void *c, const float *bias);
/// oneDNN's name for the kernel it chose, e.g. `brg:avx512_core_bf16`.
const char *perceptron_matmul_implementation(const perceptron_matmul *product);
void perceptron_matmul_destroy(perceptron_matmul *product);

/// `δ ← δ ⊙ f′`, where `f′` is computed from the activation's output `a` (`count` elements, like
/// δ: float32, or bfloat16 bits when `bf16`), in place, as a oneDNN element-wise backward primitive.
typedef struct perceptron_derivative perceptron_derivative;
perceptron_derivative *perceptron_derivative_create(perceptron_activation activation, int64_t count, int threads, int bf16,
                                                    char *error, size_t error_size);
int perceptron_derivative_run(perceptron_derivative *derivative, const void *output, void *delta);
void perceptron_derivative_destroy(perceptron_derivative *derivative);

/// `x ← s·x`, `count` float32 elements, in place, as a oneDNN element-wise primitive (linear:
/// vectorised for the CPU it runs on, split over its threads).
typedef struct perceptron_scaling perceptron_scaling;
perceptron_scaling *perceptron_scaling_create(int64_t count, float scale, char *error, size_t error_size);
int perceptron_scaling_run(perceptron_scaling *scaling, float *x);
void perceptron_scaling_destroy(perceptron_scaling *scaling);

/// oneDNN's version, as major·10000 + minor·100 + patch.
int perceptron_dnnl_version(void);
/// The instruction set oneDNN dispatches to on this CPU (`avx512_core_bf16`, …).
const char *perceptron_dnnl_isa(void);
/// Whether oneDNN multiplies bfloat16 in hardware on this CPU (AVX-512 BF16 or AMX).
int perceptron_dnnl_has_bf16(void);
/// Whether bfloat16 products outrun float32 ones on this CPU, by rule: where oneDNN dispatches to AMX,
/// or on an AMD CPU with AVX-512 BF16 (Zen 4, Zen 5). An Intel core without AMX issues VDPBF16PS
/// on one port and float32 FMAs on two: there bf16 brings no throughput and costs conversions.
int perceptron_dnnl_bf16_outruns_fp32(void);
/// The CPU's vendor, from CPUID leaf 0: 1 for "GenuineIntel", 2 for "AuthenticAMD", 0 for another
/// (or a CPU that is not x86).
int perceptron_cpu_vendor(void);

/// `C ← α·op(A)·op(B) + β·C`, float32, row-major (dnnl_sgemm).
int perceptron_sgemm(int transpose_a, int transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                     const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

#ifdef __cplusplus
}
#endif
#endif
