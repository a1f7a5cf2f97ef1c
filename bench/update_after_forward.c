// Which product of a step pushes the weights' master copy out of the cache? The momentum update
//
//   θ ← θ + v,  r ← bf16(θ)        perceptron_add_and_round, 14 bytes a parameter, split over 2 threads
//
// of B's first layer (800 × 784 weights) is timed right after one of B bf16's big products, as a
// step runs them on oneDNN matmul primitives (2 threads, batch 128), rounds interleaved, medians:
//
//   weight gradient    v ← δ̂ᵀ·x + 0.9·v        [800, 128]·[128, 784], float32 result
//   forward, direct    a = x·rᵀ                 [128, 784]·[784, 800], bfloat16 result
//   forward, through   aᵀ = r·xᵀ, then a = (aᵀ)ᵀ by a reorder (Product.runsThroughTranspose)
//
// The update reads θ and v and writes θ and r; the forward reads r and x, the gradient writes v.
// If the update after a product is slower than after the others, that product took θ's lines out.
// oneDNN 2.x's API (Debian's libdnnl-dev):
//   cc -O2 -fopenmp -I Sources/CKernels/include -I bench bench/update_after_forward.c Sources/CKernels/kernels.c \
//      -ldnnl -o /tmp/update_after_forward && /tmp/update_after_forward
#include "update_timing.h"
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROUNDS = 301, BATCH = 128, IN = 784, OUT = 800 };

static void check(dnnl_status_t s, const char *what) { if (s != dnnl_success) { fprintf(stderr, "%s: status %d\n", what, s); exit(1); } }

static dnnl_engine_t engine;
static dnnl_stream_t stream;

// A row-major [rows, columns] matrix, or (transposed) the transpose of a row-major [columns, rows].
static dnnl_memory_desc_t matrix(long rows, long columns, int transposed, dnnl_data_type_t type) {
    dnnl_memory_desc_t d;
    dnnl_dims_t dims = {rows, columns}, strides = {transposed ? 1 : columns, transposed ? rows : 1};
    check(dnnl_memory_desc_init_by_strides(&d, 2, dims, type, strides), "memory descriptor");
    return d;
}

typedef struct { dnnl_primitive_t primitive; dnnl_memory_t a, b, c, scratchpad; } product;

// C [m, n] = op(A)·op(B) (+ β·C), bfloat16 operands.
static product make(long m, long n, long k, int transpose_a, int transpose_b, dnnl_data_type_t result, float beta) {
    dnnl_memory_desc_t a = matrix(m, k, transpose_a, dnnl_bf16), b = matrix(k, n, transpose_b, dnnl_bf16);
    dnnl_memory_desc_t c = matrix(m, n, 0, result);
    dnnl_primitive_attr_t attributes;
    dnnl_post_ops_t post_ops;
    check(dnnl_primitive_attr_create(&attributes), "attributes");
    check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "scratchpad mode");
    check(dnnl_post_ops_create(&post_ops), "post-ops");
    if (beta != 0) check(dnnl_post_ops_append_sum(post_ops, beta), "sum post-op");
    check(dnnl_primitive_attr_set_post_ops(attributes, post_ops), "post-ops");
    dnnl_matmul_desc_t operation;
    dnnl_primitive_desc_t pd;
    check(dnnl_matmul_desc_init(&operation, &a, &b, NULL, &c), "matmul");
    check(dnnl_primitive_desc_create(&pd, &operation, attributes, engine, NULL), "matmul descriptor");
    product p;
    check(dnnl_primitive_create(&p.primitive, pd), "matmul primitive");
    const dnnl_memory_desc_t *scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t bytes = dnnl_memory_desc_get_size(scratch);
    check(dnnl_memory_create(&p.scratchpad, scratch, engine, bytes ? aligned_alloc(64, (bytes + 63) / 64 * 64) : NULL), "scratchpad");
    check(dnnl_memory_create(&p.a, &a, engine, DNNL_MEMORY_NONE), "A");
    check(dnnl_memory_create(&p.b, &b, engine, DNNL_MEMORY_NONE), "B");
    check(dnnl_memory_create(&p.c, &c, engine, DNNL_MEMORY_NONE), "C");
    return p;
}

static void run(product *p, void *a, void *b, void *c) {
    dnnl_memory_set_data_handle(p->a, a);
    dnnl_memory_set_data_handle(p->b, b);
    dnnl_memory_set_data_handle(p->c, c);
    dnnl_exec_arg_t arguments[] = {{DNNL_ARG_SRC, p->a}, {DNNL_ARG_WEIGHTS, p->b}, {DNNL_ARG_DST, p->c}, {DNNL_ARG_SCRATCHPAD, p->scratchpad}};
    check(dnnl_primitive_execute(p->primitive, stream, 4, arguments), "matmul");
}

int main(void) {
    check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine");
    check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags), "stream");
    const long weights = (long)OUT * IN;
    uint16_t *x = aligned_alloc(64, BATCH * IN * 2), *delta = aligned_alloc(64, BATCH * OUT * 2);
    uint16_t *a = aligned_alloc(64, BATCH * OUT * 2), *r = aligned_alloc(64, weights * 2);
    float *theta = aligned_alloc(64, weights * 4), *v = aligned_alloc(64, weights * 4), *transposed = aligned_alloc(64, BATCH * OUT * 4);
    for (long i = 0; i < BATCH * IN; i++) x[i] = 0x3F00;        // 0.5
    for (long i = 0; i < BATCH * OUT; i++) delta[i] = 0x3A00;   // 0.00049
    for (long i = 0; i < weights; i++) { theta[i] = 0.01f; v[i] = 0; r[i] = 0x3C24; }

    product gradient = make(OUT, IN, BATCH, 1, 0, dnnl_f32, 0.9f);       // δ̂ [128, 800] read transposed
    product direct = make(BATCH, OUT, IN, 0, 1, dnnl_bf16, 0);           // r [800, 784] read transposed
    product through = make(OUT, BATCH, IN, 0, 1, dnnl_f32, 0);           // r·xᵀ, x [128, 784] read transposed
    dnnl_memory_desc_t from = matrix(BATCH, OUT, 1, dnnl_f32), to = matrix(BATCH, OUT, 0, dnnl_bf16);
    dnnl_primitive_desc_t reorder_pd;
    dnnl_primitive_t reorder;
    dnnl_memory_t source, target;
    check(dnnl_reorder_primitive_desc_create(&reorder_pd, &from, engine, &to, engine, NULL), "reorder");
    check(dnnl_primitive_create(&reorder, reorder_pd), "reorder primitive");
    check(dnnl_memory_create(&source, &from, engine, transposed), "reorder source");
    check(dnnl_memory_create(&target, &to, engine, a), "reorder target");

    const char *names[] = {"weight gradient", "forward, direct", "forward, through its transpose"};
    static double product_time[3][ROUNDS], update_time[3][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        for (int way = 0; way < 3; way++) {
            double start = now();
            if (way == 0) run(&gradient, delta, x, v);
            if (way == 1) run(&direct, x, r, a);
            if (way == 2) {
                run(&through, r, x, transposed);
                dnnl_exec_arg_t copy[] = {{DNNL_ARG_FROM, source}, {DNNL_ARG_TO, target}};
                check(dnnl_primitive_execute(reorder, stream, 2, copy), "reorder");
            }
            product_time[way][round] = now() - start;
            update_time[way][round] = update(theta, v, r, weights);
        }
    }
    printf("B's first layer, 2 threads, %d rounds interleaved, medians:\n", ROUNDS);
    for (int way = 0; way < 3; way++) {
        qsort(product_time[way], ROUNDS, sizeof(double), compare);
        qsort(update_time[way], ROUNDS, sizeof(double), compare);
        printf("  after the %-32s  the product %6.1f µs, then the update %6.1f µs\n", names[way],
               product_time[way][ROUNDS / 2] * 1e6, update_time[way][ROUNDS / 2] * 1e6);
    }
    return 0;
}
