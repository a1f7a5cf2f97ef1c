// How fast is the momentum update when the step's products have run in between? The update
//
//   θ ← θ + v,  r ← bf16(θ)        perceptron_add_and_round, 14 bytes a parameter, split over 2 threads
//
// touches θ once a step: between two updates the cores run a millisecond or more of products. This
// times the update of B's (636,010) and C's (1,863,690) parameters after a gap of compute that
// touches no memory (0 to 10 ms), and after a sweep of 64 MB, back to back, rounds interleaved,
// medians: if the update slows with an idle gap, something other than this process has taken its
// lines out of the shared cache, and the update runs at the pace of memory, whatever the step does.
//   cc -O2 -fopenmp -I Sources/CKernels/include -I bench bench/update_after_idle.c Sources/CKernels/kernels.c \
//      -o /tmp/update_after_idle && /tmp/update_after_idle
#include "update_timing.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROUNDS = 41, SWEEP = 64 << 20 };

// `seconds` of arithmetic on both threads, touching no memory.
static void compute(double seconds) {
    #pragma omp parallel num_threads(2)
    {
        double end = now() + seconds;
        volatile double x = 1;
        while (now() < end) for (int i = 0; i < 1000; i++) x = x * 1.0000001;
    }
}

int main(void) {
    const char *names[] = {"B 784-800-10", "C 784-1024-1024-10"};
    const long counts[] = {636010, 1863690};
    const double gaps[] = {0, 0.0002, 0.001, 0.003, 0.01};
    unsigned char *sweep = malloc(SWEEP);
    memset(sweep, 1, SWEEP);
    for (int a = 0; a < 2; a++) {
        long n = counts[a];
        float *theta = aligned_alloc(64, (n * 4 + 63) / 64 * 64), *v = aligned_alloc(64, (n * 4 + 63) / 64 * 64);
        uint16_t *r = aligned_alloc(64, (n * 2 + 63) / 64 * 64);
        for (long i = 0; i < n; i++) { theta[i] = (float)i * 1e-6f; v[i] = 1e-9f; }
        double t[6][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {  // the sweep first, so that the 0 ms gap follows an update
            #pragma omp parallel for num_threads(2)
            for (long i = 0; i < SWEEP; i += 64) sweep[i]++;
            t[5][round] = update(theta, v, r, n);
            for (int g = 0; g < 5; g++) { compute(gaps[g]); t[g][round] = update(theta, v, r, n); }
        }
        printf("%s, %ld parameters, %.1f MB a step\n", names[a], n, 14.0 * n / 1e6);
        for (int g = 0; g < 6; g++) {
            qsort(t[g], ROUNDS, sizeof(double), compare);
            double median = t[g][ROUNDS / 2];
            if (g < 5) printf("  after %5.1f ms of compute   ", gaps[g] * 1e3); else printf("  after a 64 MB sweep        ");
            printf("%7.1f µs  %6.1f GB/s\n", median * 1e6, 14.0 * n / median / 1e9);
        }
    }
    return 0;
}
