// Which layout does each product of a training step want on this CPU? For every product of a
// step of 784-800-10 (B) and 784-1024-1024-10 (C), batch 128, this times `dnnl_sgemm` (row-major)
// with each of its operands stored either way — what storing W as [in, out] instead of [out, in],
// or writing δ transposed, would buy — back to back, rounds interleaved, medians:
//
//   forward l          Z[B, out]  = X[B, in] · W[out, in]ᵀ        ('N','T'); W as [in, out]: ('N','N')
//   input gradient l   D[B, in]   = Δ[B, out] · W[out, in]         ('N','N'); W as [in, out]: ('N','T')
//   weight gradient l  V[out, in] = Δ[B, out]ᵀ · X[B, in] + μV     ('T','N'); and the other three
//
// and then the floor: each product at its fastest layout, summed over a step, × 469 steps.
// A weight gradient accumulates as the engine runs it: C ← μ·C split over the threads, then the
// product added with β = 1 (dnnl_sgemm's own β·C is a scalar loop, printed beside as "β in gemm").
//   cc -O2 -fopenmp bench/gemm_layouts.c -ldnnl -o /tmp/gemm_layouts && OMP_NUM_THREADS=2 /tmp/gemm_layouts
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { BATCH = 128, ROUNDS = 7, STEPS = 469 };

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static float *floats(size_t n) { float *p = aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64); memset(p, 0, n * sizeof(float)); return p; }

typedef struct { const char *role; int m, n, k; char ta, tb; float beta; } product;

// C[m, n] = op(A)·op(B) + β·C; with `apart` and β ∉ {0, 1}: C ← β·C over the threads, then + op(A)·op(B).
static void multiply(product p, char ta, char tb, const float *a, const float *b, float *c, int apart) {
    dnnl_dim_t lda = ta == 'N' ? p.k : p.m, ldb = tb == 'N' ? p.n : p.k;
    float beta = p.beta;
    if (apart && beta != 0 && beta != 1) {
        long count = (long)p.m * p.n;
        #pragma omp parallel for simd
        for (long i = 0; i < count; i++) c[i] *= beta;
        beta = 1;
    }
    dnnl_sgemm(ta, tb, p.m, p.n, p.k, 1, a, lda, b, ldb, beta, c, p.n);
}

// The mean seconds of one call of multiply, over about 20 ms of calls.
static double seconds(product p, char ta, char tb, float *a, float *b, float *c, int apart) {
    double flops = 2.0 * p.m * p.n * p.k;
    int calls = (int)(2e9 / flops); if (calls < 10) calls = 10;
    for (int i = 0; i < 3; i++) multiply(p, ta, tb, a, b, c, apart);
    double start = now();
    for (int i = 0; i < calls; i++) multiply(p, ta, tb, a, b, c, apart);
    return (now() - start) / calls;
}

static int compare(const void *x, const void *y) { double a = *(const double *)x, b = *(const double *)y; return (a > b) - (a < b); }

static void arch(const char *name, const int *sizes, int count) {
    product list[32]; int n = 0;
    for (int l = 0; l + 1 < count; l++)
        list[n++] = (product){"forward", BATCH, sizes[l + 1], sizes[l], 'N', 'T', 0};
    for (int l = count - 2; l >= 0; l--) {
        if (l > 0) list[n++] = (product){"input gradient", BATCH, sizes[l], sizes[l + 1], 'N', 'N', 0};
        list[n++] = (product){"weight gradient", sizes[l + 1], sizes[l], BATCH, 'T', 'N', 0.9f};
    }
    printf("%s: %d", name, sizes[0]); for (int i = 1; i < count; i++) printf("-%d", sizes[i]); printf(", batch %d\n", BATCH);
    double ours = 0, floor = 0;
    for (int i = 0; i < n; i++) {
        product p = list[i];
        float *a = floats((size_t)p.m * p.k), *b = floats((size_t)p.k * p.n), *c = floats((size_t)p.m * p.n);
        const char layouts[4][2] = {{'N', 'N'}, {'N', 'T'}, {'T', 'N'}, {'T', 'T'}};
        double times[4][ROUNDS], fused[ROUNDS];
        int accumulates = p.beta != 0 && p.beta != 1;
        for (int r = 0; r < ROUNDS; r++) {
            for (int j = 0; j < 4; j++) times[j][r] = seconds(p, layouts[j][0], layouts[j][1], a, b, c, 1);
            if (accumulates) fused[r] = seconds(p, p.ta, p.tb, a, b, c, 0);
        }
        double median[4], best = 1e30; int as_now = 0;
        for (int j = 0; j < 4; j++) {
            qsort(times[j], ROUNDS, sizeof(double), compare);
            median[j] = times[j][ROUNDS / 2];
            if (median[j] < best) best = median[j];
            if (layouts[j][0] == p.ta && layouts[j][1] == p.tb) as_now = j;
        }
        double flops = 2.0 * p.m * p.n * p.k;
        double now_seconds = median[as_now];
        if (accumulates) {
            qsort(fused, ROUNDS, sizeof(double), compare);
            if (fused[ROUNDS / 2] < best) best = fused[ROUNDS / 2];
            if ((long)p.m * p.n < 65536) now_seconds = fused[ROUNDS / 2];  // the engine splits from 2^16 elements of C
        }
        printf("  %-15s %4d×%-4d·%4d×%-4d as %c%c %6.1f GFLOP/s;", p.role, p.m, p.k, p.k, p.n, p.ta, p.tb, flops / now_seconds / 1e9);
        for (int j = 0; j < 4; j++) printf("  %c%c %6.1f", layouts[j][0], layouts[j][1], flops / median[j] / 1e9);
        if (accumulates) printf("  (β in gemm: %c%c %6.1f)", p.ta, p.tb, flops / fused[ROUNDS / 2] / 1e9);
        printf("\n");
        ours += now_seconds; floor += best;
        free(a); free(b); free(c);
    }
    printf("  products of an epoch (%d steps): %.3f s as stored now, %.3f s each at its fastest layout\n", STEPS, ours * STEPS, floor * STEPS);
}

int main(void) {
    const int B[] = {784, 800, 10}, C[] = {784, 1024, 1024, 10};
    arch("B", B, 3);
    arch("C", C, 4);
    return 0;
}
