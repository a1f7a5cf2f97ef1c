// What bench/update_after_idle.c and bench/update_after_forward.c share: a clock, a comparison for
// qsort, and the momentum update as a step runs it (perceptron_add_and_round over 2 threads).
#ifndef UPDATE_TIMING_H
#define UPDATE_TIMING_H

#include "perceptron_kernels.h"
#include <omp.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int compare(const void *x, const void *y) { double a = *(const double *)x, b = *(const double *)y; return (a > b) - (a < b); }

// The update of `count` parameters, each of 2 threads taking its half (as Parallel.forEachRange does).
static double update(float *theta, const float *v, uint16_t *r, long count) {
    double start = now();
    #pragma omp parallel num_threads(2)
    {
        long half = (count / 2 + 15) / 16 * 16, first = omp_get_thread_num() ? half : 0, end = omp_get_thread_num() ? count : half;
        perceptron_add_and_round(theta + first, v + first, r + first, end - first);
    }
    return now() - start;
}

#endif
