// The passes of a training step that oneDNN does not do as fast, in C: a prefetch of the next batch's
// rows, the batch gather that scales its bytes to floats (or their bfloat16 rounding), the momentum
// update θ ← θ + v (and the weights' bfloat16 copy, in the same pass), the bfloat16 rounding with the
// same bits (oneDNN's reorder, the CPU's conversion instruction, takes a subnormal float as zero),
// and the end of a product computed through its transpose (the bias and ReLU, transposed into C).
// The AVX-512 code is compiled for that instruction set alone (a function attribute, not a
// build flag) and runs only where the CPU has it: see perceptron_update_is_fused.
#ifndef PERCEPTRON_KERNELS_H
#define PERCEPTRON_KERNELS_H

#include <stdint.h>

// A hint: asks the memory system to bring `count` rows of `bytes` each, at `base + indices[i]·bytes`,
// into the cache (one prefetch per 64-byte line), and returns at once.
void perceptron_prefetch_rows(const void *base, const int64_t *indices, int64_t count, int64_t bytes);

// Whether this CPU runs perceptron_add_and_round (it has AVX-512F); 0 or 1.
int perceptron_update_is_fused(void);

// θ ← θ + v and, unless `r` is NULL, r ← bf16(θ), element by element, for `count` elements, in one
// pass: bf16 rounds to nearest even, a NaN keeps its sign and upper bits with the quiet bit set (the
// bits Swift's `bfloat16Bits` gives). AVX-512F where perceptron_update_is_fused() is 1, else a plain
// loop. The caller splits it over the cores (the momentum update, fp32 and bf16).
void perceptron_add_and_round(float *theta, const float *v, uint16_t *r, int64_t count);

// r ← bf16(x), element by element, for `count` elements: the roundings of perceptron_add_and_round
// (AVX-512F where perceptron_update_is_fused() is 1, else a plain loop).
void perceptron_round(const float *x, uint16_t *r, int64_t count);

// A batch gathered from images of `width` bytes: for each of `rows` rows, the image at
// `pixels + indices[row]·width`, each byte p scaled to v = p·scale in float32, written to
// `x + row·width` and, rounded as perceptron_round does, to `r + row·width` (either may be NULL,
// which writes nothing there). AVX-512F where perceptron_update_is_fused() is 1, else a plain loop;
// the same bits either way.
void perceptron_gather_pixels(const uint8_t *pixels, const int64_t *indices, int64_t rows, int64_t width,
                              float scale, float *x, uint16_t *r);

// The end of a product computed through its transpose: C[i, j] = f(Cᵀ[j, i] + bias[j]) for the rows
// j ∈ [first, last) of Cᵀ (`n` × `m`, row-major; row j of Cᵀ is column j of C) and every i < m, where
// f is the ReLU as oneDNN's post-op computes it (v > 0 ? v : 0·v: −0 below zero, a NaN stays a NaN)
// if `relu` is 1, else none, and `bias` may be NULL. C is `m` rows `ldc` elements apart: float32, or
// where `bf16` is 1 bfloat16 rounded as perceptron_round. AVX-512F where perceptron_update_is_fused()
// is 1, in blocks of 16 × 16, else a plain loop; the same bits either way.
void perceptron_transpose_with_bias(const float *ct, int64_t m, const float *bias, int relu, int64_t first, int64_t last,
                                    void *c, int64_t ldc, int bf16);

// The ReLU's derivative in bfloat16, in place, on the calling thread: δ ← δ ⊙ f′(a) from the ReLU's
// outputs a, on their bits: δ where a > 0, else 0·δ (±0 with δ's sign, a NaN for δ = ±∞). As oneDNN's
// ReLU backward (its bits, checked by the tests): a NaN in a keeps δ, and a NaN δ comes out quiet;
// unlike it, a subnormal δ stays as it is. AVX-512 (F, BW) where the CPU has it, 32 values at a time,
// else a plain loop; the same bits either way.
void perceptron_relu_derivative_bf16(uint16_t *delta, const uint16_t *a, int64_t count);

#endif
