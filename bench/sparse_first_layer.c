// Would a sparse first layer pay? MNIST pixels are 81 % zero; this times, back to back on the same
// batches, the two first-layer products of a 784-800-10 training step (batch 128) both ways:
//
//   dense   z = x·Wᵀ                                 dnnl_sgemm, as perceptron does
//           v ← μv + Δᵀ·x                            dnnl_sgemm with β = μ
//   sparse  x as compressed rows (its nonzero pixels and their columns), then
//           Wᵀ ← transpose(W)                         W changed in the last step
//           z[n, :] = Σ_{p ∈ nz(n)} x[n,p]·Wᵀ[p, :]   64 outputs at a time, in registers
//           Gᵀ[p, :] += x[n,p]·Δ[n, :]                for each image n and nonzero pixel p
//           v ← μv + (Gᵀ)ᵀ                            16 × 16 tiles
//
// Both on OMP_NUM_THREADS threads (the sparse loops split their column chunks or tiles with OpenMP).
//   cc -O3 -march=native -fopenmp bench/sparse_first_layer.c -ldnnl -o /tmp/sparse && /tmp/sparse data/mnist
#include <dnnl.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { IN = 784, OUT = 800, B = 128, STEPS = 468 };

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static float *floats(size_t n) { float *p = aligned_alloc(64, n * sizeof(float)); memset(p, 0, n * sizeof(float)); return p; }

int main(int argc, char **argv) {
    char path[4096];
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", argc > 1 ? argv[1] : "data/mnist");
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); return 1; }
    uint8_t *pixels = malloc((size_t)60000 * IN);
    if (fseek(file, 16, SEEK_SET) || fread(pixels, 1, (size_t)60000 * IN, file) != (size_t)60000 * IN) { fprintf(stderr, "%s: short\n", path); return 1; }
    fclose(file);

    float *W = floats(OUT * IN), *Wt = floats(IN * OUT), *v = floats(OUT * IN), *Gt = floats(IN * OUT);
    float *x = floats(B * IN), *z = floats(B * OUT), *delta = floats(B * OUT);
    srand(1);
    for (int i = 0; i < OUT * IN; i++) W[i] = (rand() % 2001 - 1000) * 1e-5f;
    for (int i = 0; i < B * OUT; i++) delta[i] = (rand() % 2001 - 1000) * 1e-6f;
    int *start = malloc((B + 1) * sizeof(int)), *column = malloc(B * IN * sizeof(int));
    float *value = malloc(B * IN * sizeof(float));
    const float mu = 0.9f;
    double dense = 0, parts[6] = {0};
    long nonzero = 0;

    for (int round = 0; round < 2; round++)  // the first round warms up; the second is timed
    for (int s = 0; s < STEPS; s++) {
        const uint8_t *batch = pixels + (size_t)s * B * IN;
        for (int i = 0; i < B * IN; i++) x[i] = batch[i] * (1.0f / 255);
        double t0 = now();
        dnnl_sgemm('N', 'T', B, OUT, IN, 1, x, IN, W, IN, 0, z, OUT);
        dnnl_sgemm('T', 'N', OUT, IN, B, 1, delta, OUT, x, IN, mu, v, IN);
        double t1 = now();

        int k = 0;
        for (int n = 0; n < B; n++) {
            start[n] = k;
            for (int p = 0; p < IN; p++) if (x[n * IN + p] != 0) { column[k] = p; value[k] = x[n * IN + p]; k++; }
        }
        start[B] = k;
        double t2 = now();
        #pragma omp parallel for schedule(static)
        for (int jb = 0; jb < OUT; jb += 16)
            for (int pb = 0; pb < IN; pb += 16)
                for (int j = jb; j < jb + 16; j++)
                    for (int p = pb; p < pb + 16; p++) Wt[p * OUT + j] = W[j * IN + p];
        double t3 = now();
        #pragma omp parallel for schedule(static)
        for (int c = 0; c < OUT; c += 64) {  // 64 outputs (4 registers) at a time; 800 = 12·64 + 32
            int width = OUT - c < 64 ? OUT - c : 64;
            for (int n = 0; n < B; n++) {
                __m512 a[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
                for (int q = start[n]; q < start[n + 1]; q++) {
                    __m512 x = _mm512_set1_ps(value[q]);
                    const float *w = Wt + column[q] * OUT + c;
                    for (int r = 0; r < width / 16; r++) a[r] = _mm512_fmadd_ps(x, _mm512_loadu_ps(w + 16 * r), a[r]);
                }
                for (int r = 0; r < width / 16; r++) _mm512_storeu_ps(z + n * OUT + c + 16 * r, a[r]);
            }
        }
        double t4 = now();
        #pragma omp parallel for schedule(static)
        for (int c = 0; c < OUT; c += 64) {
            int width = OUT - c < 64 ? OUT - c : 64;
            for (int p = 0; p < IN; p++) memset(Gt + p * OUT + c, 0, width * sizeof(float));
            for (int n = 0; n < B; n++)
                for (int q = start[n]; q < start[n + 1]; q++) {
                    __m512 x = _mm512_set1_ps(value[q]);
                    float *g = Gt + column[q] * OUT + c;
                    const float *d = delta + n * OUT + c;
                    for (int r = 0; r < width / 16; r++)
                        _mm512_storeu_ps(g + 16 * r, _mm512_fmadd_ps(x, _mm512_loadu_ps(d + 16 * r), _mm512_loadu_ps(g + 16 * r)));
                }
        }
        double t5 = now();
        #pragma omp parallel for schedule(static)
        for (int jb = 0; jb < OUT; jb += 16)
            for (int pb = 0; pb < IN; pb += 16)
                for (int j = jb; j < jb + 16; j++)
                    for (int p = pb; p < pb + 16; p++) v[j * IN + p] = mu * v[j * IN + p] + Gt[p * OUT + j];
        double t6 = now();
        if (round == 1) {
            dense += t1 - t0;
            double spans[5] = {t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5};
            for (int i = 0; i < 5; i++) { parts[i] += spans[i]; parts[5] += spans[i]; }
            nonzero += k;
        }
    }
    printf("%d batches of %d MNIST images, %.1f %% of the pixels nonzero; seconds per epoch:\n", STEPS, B, 100.0 * nonzero / ((double)STEPS * B * IN));
    printf("  dense  (two sgemm)                %.3f\n", dense);
    printf("  sparse (all of it)                %.3f   = %.2f × dense\n", parts[5], parts[5] / dense);
    printf("    compress x %.3f, transpose W %.3f, forward %.3f, weight gradient %.3f, v ← μv + G %.3f\n",
           parts[0], parts[1], parts[2], parts[3], parts[4]);
    return 0;
}
