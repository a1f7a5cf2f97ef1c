// One C interface over oneDNN 2.x and 3.x: see include/perceptron_dnnl.h.
#include "perceptron_dnnl.h"
#include "perceptron_kernels.h"

#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include <stdlib.h>
#include <string.h>

#if DNNL_VERSION_MAJOR >= 3
#define PERCEPTRON_DNNL3 1
#endif

// OpenMP's thread-count calls, from the OpenMP runtime oneDNN loads (weak: nothing links to a
// particular one; without one, products use oneDNN's default).
extern int omp_get_max_threads(void) __attribute__((weak));
extern void omp_set_num_threads(int) __attribute__((weak));
extern int omp_get_thread_num(void) __attribute__((weak));
extern int omp_get_num_threads(void) __attribute__((weak));
extern void GOMP_parallel(void (*)(void *), void *, unsigned, unsigned) __attribute__((weak));  // libgomp's `#pragma omp parallel`

/// Limits the calling thread's OpenMP team to `threads` (0: unchanged) until `restore_threads`.
static int limit_threads(int threads) {
    if (threads <= 0 || !omp_get_max_threads || !omp_set_num_threads) return 0;
    int before = omp_get_max_threads();
    if (threads >= before) return 0;
    omp_set_num_threads(threads);
    return before;
}
static void restore_threads(int before) {
    if (before > 0) omp_set_num_threads(before);
}

static dnnl_engine_t shared_engine(void) {
    static dnnl_engine_t engine = NULL;
    if (!engine) {
        dnnl_engine_t made = NULL;
        if (dnnl_engine_create(&made, dnnl_cpu, 0) == dnnl_success) engine = made;
    }
    return engine;
}

#define FAIL(status, what) do { \
        if (error && error_size) snprintf(error, error_size, "%s failed (oneDNN status %d)", what, (int)(status)); \
        goto fail; \
    } while (0)
#define TRY(call, what) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) FAIL(s_, what); } while (0)

// ---------------------------------------------------------------------------------------------
// Memory descriptors: oneDNN 2 has a struct filled in place, oneDNN 3 an opaque handle.

#ifdef PERCEPTRON_DNNL3
typedef dnnl_memory_desc_t descriptor;  // a pointer
static const_dnnl_memory_desc_t desc_ptr(const descriptor *d) { return *d; }
static void release(descriptor *d) { if (*d) dnnl_memory_desc_destroy(*d); *d = NULL; }
#else
typedef dnnl_memory_desc_t descriptor;  // a struct
static const dnnl_memory_desc_t *desc_ptr(const descriptor *d) { return d; }
static void release(descriptor *d) { (void)d; }
static const dnnl_memory_desc_t *bias_given(const descriptor *d) { return d->ndims ? d : NULL; }  // none made: no bias
#endif

/// A `rows × columns` matrix at row stride `leading`, or (transposed) the transpose of a row-major
/// `columns × rows` matrix at row stride `leading`.
static dnnl_status_t strided(descriptor *d, int64_t rows, int64_t columns, int transposed, int64_t leading, dnnl_data_type_t type) {
    dnnl_dims_t dims = {rows, columns}, strides;
    strides[0] = transposed ? 1 : leading;
    strides[1] = transposed ? leading : 1;
#ifdef PERCEPTRON_DNNL3
    return dnnl_memory_desc_create_with_strides(d, 2, dims, type, strides);
#else
    return dnnl_memory_desc_init_by_strides(d, 2, dims, type, strides);
#endif
}

#ifdef PERCEPTRON_DNNL3
typedef const_dnnl_memory_desc_t queried_descriptor;
#else
typedef const dnnl_memory_desc_t *queried_descriptor;
#endif

static dnnl_alg_kind_t forward_algorithm(perceptron_activation activation) {
    switch (activation) {
    case perceptron_activation_relu: return dnnl_eltwise_relu;
    case perceptron_activation_sigmoid: return dnnl_eltwise_logistic;
    case perceptron_activation_tanh: return dnnl_eltwise_tanh;
    default: return dnnl_alg_kind_undef;
    }
}

static dnnl_alg_kind_t backward_algorithm(perceptron_activation activation) {
    switch (activation) {
    case perceptron_activation_relu: return dnnl_eltwise_relu_use_dst_for_bwd;
    case perceptron_activation_sigmoid: return dnnl_eltwise_logistic_use_dst_for_bwd;
    case perceptron_activation_tanh: return dnnl_eltwise_tanh_use_dst_for_bwd;
    default: return dnnl_alg_kind_undef;
    }
}

// ---------------------------------------------------------------------------------------------
// The matmul primitive.

struct perceptron_matmul {
    dnnl_primitive_t primitive;
    dnnl_stream_t stream;
    dnnl_memory_t a, b, c, bias, scratchpad;
    void *scratch;
    int threads, has_bias;
    // Through the transpose: the matmul's A is the caller's B, its B the caller's A, and it writes
    // Cᵀ [n, m] into `transposed` (memory `t`); perceptron_transpose_with_bias then writes C.
    int through_transpose;
    dnnl_memory_t t;
    float *transposed;
    int64_t m, n, ldc;
    int relu, bf16_result;
    char implementation[128];
};

perceptron_matmul *perceptron_matmul_create(const perceptron_matmul_shape *shape, char *error, size_t error_size) {
    perceptron_matmul *p = calloc(1, sizeof *p);
    descriptor a = {0}, b = {0}, c = {0}, bias = {0};
    dnnl_primitive_attr_t attributes = NULL;
    dnnl_post_ops_t post_ops = NULL;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_engine_t engine = shared_engine();
    int before = limit_threads(shape->threads);
    if (!p) { if (error && error_size) snprintf(error, error_size, "out of memory"); restore_threads(before); return NULL; }
    if (!engine) FAIL(dnnl_runtime_error, "dnnl_engine_create");
    p->threads = shape->threads;
    p->has_bias = shape->bias;
    dnnl_data_type_t operands = shape->bf16_operands ? dnnl_bf16 : dnnl_f32;
    dnnl_data_type_t result = shape->bf16_result ? dnnl_bf16 : dnnl_f32;
    if (shape->through_transpose) {
        // Cᵀ [n, m] = op(B)ᵀ [n, k] · op(A)ᵀ [k, m] in float32, into a buffer of its own; the bias and
        // the activation follow along its rows (oneDNN 2.6's fast kernels take a bias per column only).
        if (shape->beta != 0) FAIL(dnnl_invalid_arguments, "a product through its transpose with β ≠ 0");
        if (shape->activation != perceptron_activation_identity && shape->activation != perceptron_activation_relu)
            FAIL(dnnl_invalid_arguments, "a product through its transpose with an activation other than ReLU");
        TRY(strided(&a, shape->n, shape->k, !shape->transpose_b, shape->ldb, operands), "memory descriptor of Bᵀ");
        TRY(strided(&b, shape->k, shape->m, !shape->transpose_a, shape->lda, operands), "memory descriptor of Aᵀ");
        TRY(strided(&c, shape->n, shape->m, 0, shape->m, dnnl_f32), "memory descriptor of Cᵀ");
        p->through_transpose = 1;
        p->m = shape->m;
        p->n = shape->n;
        p->ldc = shape->ldc;
        p->relu = shape->activation == perceptron_activation_relu;
        p->bf16_result = shape->bf16_result;
    } else {
        TRY(strided(&a, shape->m, shape->k, shape->transpose_a, shape->lda, operands), "memory descriptor of A");
        TRY(strided(&b, shape->k, shape->n, shape->transpose_b, shape->ldb, operands), "memory descriptor of B");
        TRY(strided(&c, shape->m, shape->n, 0, shape->ldc, result), "memory descriptor of C");
        if (shape->bias) TRY(strided(&bias, 1, shape->n, 0, shape->n, dnnl_f32), "memory descriptor of the bias");
    }

    TRY(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create");
    TRY(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "scratchpad mode");
    TRY(dnnl_post_ops_create(&post_ops), "dnnl_post_ops_create");
    if (shape->activation != perceptron_activation_identity && !shape->through_transpose) {
#ifdef PERCEPTRON_DNNL3
        TRY(dnnl_post_ops_append_eltwise(post_ops, forward_algorithm(shape->activation), 0, 0), "eltwise post-op");
#else
        TRY(dnnl_post_ops_append_eltwise(post_ops, 1.0f, forward_algorithm(shape->activation), 0, 0), "eltwise post-op");
#endif
    }
#ifdef PERCEPTRON_DNNL3
    if (shape->beta != 0) TRY(dnnl_post_ops_append_sum(post_ops, shape->beta, 0, dnnl_data_type_undef), "sum post-op");
#else
    if (shape->beta != 0) TRY(dnnl_post_ops_append_sum(post_ops, shape->beta), "sum post-op");
#endif
    TRY(dnnl_primitive_attr_set_post_ops(attributes, post_ops), "dnnl_primitive_attr_set_post_ops");

#ifdef PERCEPTRON_DNNL3
    TRY(dnnl_matmul_primitive_desc_create(&pd, engine, a, b, bias, c, attributes), "the matmul primitive descriptor");
#else
    dnnl_matmul_desc_t operation;
    TRY(dnnl_matmul_desc_init(&operation, &a, &b, bias_given(&bias), &c), "dnnl_matmul_desc_init");
    TRY(dnnl_primitive_desc_create(&pd, &operation, attributes, engine, NULL), "the matmul primitive descriptor");
#endif
    const char *name = NULL;
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name);
    snprintf(p->implementation, sizeof p->implementation, "%s", name ? name : "unknown");
    TRY(dnnl_primitive_create(&p->primitive, pd), "dnnl_primitive_create");
    TRY(dnnl_stream_create(&p->stream, engine, dnnl_stream_default_flags), "dnnl_stream_create");

    queried_descriptor scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t scratch_bytes = dnnl_memory_desc_get_size(scratch);
    if (scratch_bytes > 0 && !(p->scratch = aligned_alloc(64, (scratch_bytes + 63) / 64 * 64))) FAIL(dnnl_out_of_memory, "the scratchpad");
    TRY(dnnl_memory_create(&p->scratchpad, scratch, engine, p->scratch ? p->scratch : DNNL_MEMORY_NONE), "scratchpad memory");
    TRY(dnnl_memory_create(&p->a, desc_ptr(&a), engine, DNNL_MEMORY_NONE), "memory of A");
    TRY(dnnl_memory_create(&p->b, desc_ptr(&b), engine, DNNL_MEMORY_NONE), "memory of B");
    if (shape->through_transpose) {
        size_t bytes = (size_t)(shape->m * shape->n) * sizeof(float);
        if (!(p->transposed = aligned_alloc(64, (bytes + 63) / 64 * 64))) FAIL(dnnl_out_of_memory, "the transposed result");
        TRY(dnnl_memory_create(&p->t, desc_ptr(&c), engine, p->transposed), "memory of Cᵀ");
    } else {
        TRY(dnnl_memory_create(&p->c, desc_ptr(&c), engine, DNNL_MEMORY_NONE), "memory of C");
        if (shape->bias) TRY(dnnl_memory_create(&p->bias, desc_ptr(&bias), engine, DNNL_MEMORY_NONE), "memory of the bias");
    }
    dnnl_primitive_desc_destroy(pd);
    dnnl_post_ops_destroy(post_ops);
    dnnl_primitive_attr_destroy(attributes);
    release(&a); release(&b); release(&c); release(&bias);
    restore_threads(before);
    return p;

fail:
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (post_ops) dnnl_post_ops_destroy(post_ops);
    if (attributes) dnnl_primitive_attr_destroy(attributes);
    release(&a); release(&b); release(&c); release(&bias);
    perceptron_matmul_destroy(p);
    restore_threads(before);
    return NULL;
}

// One thread's share of the rows of Cᵀ (in blocks of 16) for perceptron_transpose_with_bias.
typedef struct { const perceptron_matmul *p; const float *bias; void *c; } finish_job;

static void finish_part(void *data) {
    const finish_job *job = data;
    const perceptron_matmul *p = job->p;
    int64_t part = omp_get_thread_num ? omp_get_thread_num() : 0, parts = omp_get_num_threads ? omp_get_num_threads() : 1;
    int64_t chunk = ((p->n + parts - 1) / parts + 15) / 16 * 16, first = part * chunk, last = first + chunk < p->n ? first + chunk : p->n;
    if (first < last)
        perceptron_transpose_with_bias(p->transposed, p->m, p->has_bias ? job->bias : NULL, p->relu, first, last, job->c, p->ldc,
                                       p->bf16_result);
}

int perceptron_matmul_run(perceptron_matmul *p, const void *a, const void *b, void *c, const float *bias) {
    dnnl_status_t s;
    if (p->through_transpose) { const void *swap = a; a = b; b = swap; }
    if ((s = dnnl_memory_set_data_handle(p->a, (void *)a)) != dnnl_success) return s;
    if ((s = dnnl_memory_set_data_handle(p->b, (void *)b)) != dnnl_success) return s;
    if (!p->through_transpose && (s = dnnl_memory_set_data_handle(p->c, c)) != dnnl_success) return s;
    dnnl_exec_arg_t arguments[5] = {
        {DNNL_ARG_SRC, p->a}, {DNNL_ARG_WEIGHTS, p->b}, {DNNL_ARG_DST, p->through_transpose ? p->t : p->c}, {DNNL_ARG_SCRATCHPAD, p->scratchpad}};
    int count = 4;
    if (p->has_bias && !p->through_transpose) {
        if ((s = dnnl_memory_set_data_handle(p->bias, (void *)bias)) != dnnl_success) return s;
        arguments[count++] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, p->bias};
    }
    int before = limit_threads(p->threads);
    s = dnnl_primitive_execute(p->primitive, p->stream, count, arguments);
    if (s == dnnl_success && p->through_transpose) {
        // C[i, j] ← f(Cᵀ[j, i] + bias[j]), the rows of Cᵀ split over the threads the product ran on.
        finish_job job = {p, bias, c};
        int threads = omp_get_max_threads ? omp_get_max_threads() : 1;
        if (GOMP_parallel && threads > 1 && p->n > 16) GOMP_parallel(finish_part, &job, (unsigned)threads, 0);
        else perceptron_transpose_with_bias(p->transposed, p->m, p->has_bias ? bias : NULL, p->relu, 0, p->n, c, p->ldc, p->bf16_result);
    }
    restore_threads(before);
    return s;
}

const char *perceptron_matmul_implementation(const perceptron_matmul *p) { return p->implementation; }

void perceptron_matmul_destroy(perceptron_matmul *p) {
    if (!p) return;
    dnnl_memory_t memories[] = {p->a, p->b, p->c, p->bias, p->scratchpad, p->t};
    for (size_t i = 0; i < sizeof memories / sizeof *memories; i++) if (memories[i]) dnnl_memory_destroy(memories[i]);
    if (p->stream) dnnl_stream_destroy(p->stream);
    if (p->primitive) dnnl_primitive_destroy(p->primitive);
    free(p->scratch);
    free(p->transposed);
    free(p);
}

// ---------------------------------------------------------------------------------------------
// Element-wise primitives (the derivative, the scaling): a primitive, its stream, and one memory
// per argument, whose buffers are set at each run.

typedef struct {
    dnnl_primitive_t primitive;
    dnnl_stream_t stream;
    int count, threads;
    int argument[3];
    dnnl_memory_t memory[3];
} element_primitive;

/// Makes `e`'s primitive from `pd` and a memory of `descriptors[i]` for each `arguments[i]`.
static dnnl_status_t element_make(element_primitive *e, dnnl_primitive_desc_t pd, dnnl_engine_t engine, int count,
                                  const int *arguments, const descriptor *descriptors) {
    dnnl_status_t s;
    if ((s = dnnl_primitive_create(&e->primitive, pd)) != dnnl_success) return s;
    if ((s = dnnl_stream_create(&e->stream, engine, dnnl_stream_default_flags)) != dnnl_success) return s;
    for (int i = 0; i < count; i++) {
        e->argument[i] = arguments[i];
        if ((s = dnnl_memory_create(&e->memory[i], desc_ptr(&descriptors[i]), engine, DNNL_MEMORY_NONE)) != dnnl_success) return s;
        e->count = i + 1;
    }
    return dnnl_success;
}

static int element_run(element_primitive *e, void *const *buffers) {
    dnnl_exec_arg_t arguments[3];
    dnnl_status_t s;
    for (int i = 0; i < e->count; i++) {
        if ((s = dnnl_memory_set_data_handle(e->memory[i], buffers[i])) != dnnl_success) return s;
        arguments[i] = (dnnl_exec_arg_t){e->argument[i], e->memory[i]};
    }
    int before = limit_threads(e->threads);
    s = dnnl_primitive_execute(e->primitive, e->stream, e->count, arguments);
    restore_threads(before);
    return s;
}

static void element_destroy(element_primitive *e) {
    if (!e) return;
    for (int i = 0; i < e->count; i++) if (e->memory[i]) dnnl_memory_destroy(e->memory[i]);
    if (e->stream) dnnl_stream_destroy(e->stream);
    if (e->primitive) dnnl_primitive_destroy(e->primitive);
    free(e);
}

// The derivative: an element-wise backward primitive that reads the activation's output.

struct perceptron_derivative { element_primitive element; };

perceptron_derivative *perceptron_derivative_create(perceptron_activation activation, int64_t count, int threads, int bf16,
                                                    char *error, size_t error_size) {
    perceptron_derivative *p = calloc(1, sizeof *p);
    descriptor data = {0};
    dnnl_primitive_desc_t forward = NULL, pd = NULL;
    dnnl_engine_t engine = shared_engine();
    int before = limit_threads(threads);
    if (!p) { if (error && error_size) snprintf(error, error_size, "out of memory"); restore_threads(before); return NULL; }
    if (!engine) FAIL(dnnl_runtime_error, "dnnl_engine_create");
    p->element.threads = threads;
    dnnl_alg_kind_t algorithm = backward_algorithm(activation);
    if (algorithm == dnnl_alg_kind_undef) FAIL(dnnl_invalid_arguments, "the derivative of the identity");
    TRY(strided(&data, 1, count, 0, count, bf16 ? dnnl_bf16 : dnnl_f32), "memory descriptor of the outputs");
#ifdef PERCEPTRON_DNNL3
    TRY(dnnl_eltwise_forward_primitive_desc_create(&forward, engine, dnnl_forward_training, algorithm, data, data, 0, 0, NULL),
        "the element-wise forward hint");
    TRY(dnnl_eltwise_backward_primitive_desc_create(&pd, engine, algorithm, data, data, data, 0, 0, forward, NULL),
        "the element-wise backward primitive descriptor");
#else
    dnnl_eltwise_desc_t forward_op, backward_op;
    TRY(dnnl_eltwise_forward_desc_init(&forward_op, dnnl_forward_training, algorithm, &data, 0, 0), "dnnl_eltwise_forward_desc_init");
    TRY(dnnl_primitive_desc_create(&forward, &forward_op, NULL, engine, NULL), "the element-wise forward hint");
    TRY(dnnl_eltwise_backward_desc_init(&backward_op, algorithm, &data, &data, 0, 0), "dnnl_eltwise_backward_desc_init");
    TRY(dnnl_primitive_desc_create(&pd, &backward_op, NULL, engine, forward), "the element-wise backward primitive descriptor");
#endif
    {
        const int arguments[3] = {DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC};
        const descriptor descriptors[3] = {data, data, data};
        TRY(element_make(&p->element, pd, engine, 3, arguments, descriptors), "the derivative primitive");
    }
    dnnl_primitive_desc_destroy(pd);
    dnnl_primitive_desc_destroy(forward);
    release(&data);
    restore_threads(before);
    return p;

fail:
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (forward) dnnl_primitive_desc_destroy(forward);
    release(&data);
    perceptron_derivative_destroy(p);
    restore_threads(before);
    return NULL;
}

int perceptron_derivative_run(perceptron_derivative *p, const void *output, void *delta) {
    void *const buffers[3] = {(void *)output, delta, delta};  // in place: δ in, δ out
    return element_run(&p->element, buffers);
}

void perceptron_derivative_destroy(perceptron_derivative *p) { element_destroy((element_primitive *)p); }

// In place over `count` contiguous float32 values: the scaling x ← s·x (an element-wise forward
// primitive, linear: s·x + 0).

struct perceptron_scaling { element_primitive element; };

perceptron_scaling *perceptron_scaling_create(int64_t count, float scale, char *error, size_t error_size) {
    element_primitive *e = calloc(1, sizeof *e);
    descriptor data = {0};
    dnnl_primitive_desc_t pd = NULL;
    dnnl_engine_t engine = shared_engine();
    if (!e) { if (error && error_size) snprintf(error, error_size, "out of memory"); return NULL; }
    if (!engine) FAIL(dnnl_runtime_error, "dnnl_engine_create");
    TRY(strided(&data, 1, count, 0, count, dnnl_f32), "memory descriptor of the float32 values");
#ifdef PERCEPTRON_DNNL3
    TRY(dnnl_eltwise_forward_primitive_desc_create(&pd, engine, dnnl_forward_inference, dnnl_eltwise_linear, data, data,
                                                   scale, 0, NULL),
        "the element-wise primitive descriptor");
#else
    dnnl_eltwise_desc_t op;
    TRY(dnnl_eltwise_forward_desc_init(&op, dnnl_forward_inference, dnnl_eltwise_linear, &data, scale, 0),
        "dnnl_eltwise_forward_desc_init");
    TRY(dnnl_primitive_desc_create(&pd, &op, NULL, engine, NULL), "the element-wise primitive descriptor");
#endif
    {
        static const int arguments[2] = {DNNL_ARG_SRC, DNNL_ARG_DST};
        const descriptor descriptors[2] = {data, data};
        TRY(element_make(e, pd, engine, 2, arguments, descriptors), "the scaling primitive");
    }
    dnnl_primitive_desc_destroy(pd);
    release(&data);
    return (perceptron_scaling *)e;

fail:
    if (pd) dnnl_primitive_desc_destroy(pd);
    release(&data);
    element_destroy(e);
    return NULL;
}

int perceptron_scaling_run(perceptron_scaling *p, float *x) {
    void *const buffers[2] = {x, x};  // in place
    return element_run(&p->element, buffers);
}

void perceptron_scaling_destroy(perceptron_scaling *p) { element_destroy((element_primitive *)p); }

// ---------------------------------------------------------------------------------------------
// Queries and sgemm.

int perceptron_dnnl_version(void) {
    const dnnl_version_t *v = dnnl_version();
    return v ? v->major * 10000 + v->minor * 100 + v->patch : 0;
}

const char *perceptron_dnnl_isa(void) {
    switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
#ifdef PERCEPTRON_DNNL3
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx2_vnni_2: return "avx2_vnni_2";
    case dnnl_cpu_isa_avx512_core_fp16: return "avx512_core_fp16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx512_core_amx_fp16: return "avx512_core_amx_fp16";
#else
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
#endif
    default: return "unknown";
    }
}

int perceptron_dnnl_has_bf16(void) {
    unsigned bf16 = (unsigned)dnnl_cpu_isa_avx512_core_bf16;
    return ((unsigned)dnnl_get_effective_cpu_isa() & bf16) == bf16;
}

int perceptron_dnnl_bf16_outruns_fp32(void) {
    if (!perceptron_dnnl_has_bf16()) return 0;
    unsigned amx = (unsigned)dnnl_cpu_isa_avx512_core_amx;
    if (((unsigned)dnnl_get_effective_cpu_isa() & amx) == amx) return 1;
#if defined(__x86_64__) || defined(__i386__)
    return perceptron_cpu_vendor() == 2;
#else
    return 1;
#endif
}

int perceptron_cpu_vendor(void) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax, ebx, ecx, edx;
    __cpuid(0, eax, ebx, ecx, edx);
    // The vendor's twelve letters in EBX, EDX, ECX.
    if (ebx == 0x756e6547u && edx == 0x49656e69u && ecx == 0x6c65746eu) return 1;  // "GenuineIntel"
    if (ebx == 0x68747541u && edx == 0x69746e65u && ecx == 0x444d4163u) return 2;  // "AuthenticAMD"
#endif
    return 0;
}

int perceptron_sgemm(int transpose_a, int transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                     const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    return dnnl_sgemm(transpose_a ? 'T' : 'N', transpose_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
