// See include/perceptron_kernels.h.
#include "perceptron_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

void perceptron_prefetch_rows(const void *base, const int64_t *indices, int64_t count, int64_t bytes) {
    const char *rows = base;
    for (int64_t i = 0; i < count; i++) {
        const char *row = rows + indices[i] * bytes;
        for (int64_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(row + offset, 0, 3);
        __builtin_prefetch(row + bytes - 1, 0, 3);  // the last line, where the row ends unaligned
    }
}

// bfloat16 of the float32 bits b: (b + 0x7FFF + ((b >> 16) & 1)) >> 16, or (b >> 16) | 0x40 for a NaN.
static inline uint16_t bfloat16_bits(float x) {
    union { float f; uint32_t u; } bits = {x};
    uint32_t b = bits.u;
    if ((b & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((b >> 16) | 0x40);
    return (uint16_t)((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
}

// Pixels p ∈ [first, width) of one image: v = source[p]·scale into x[p] and bf16(v) into r[p], where given.
static void gather_pixels_from(int64_t first, const uint8_t *source, int64_t width, float scale, float *x, uint16_t *r) {
    for (int64_t p = first; p < width; p++) {
        float v = (float)source[p] * scale;
        if (x) x[p] = v;
        if (r) r[p] = bfloat16_bits(v);
    }
}

#if defined(__x86_64__)
// bfloat16_bits of 16 floats at once, as 16 bits each: the same roundings, NaNs and subnormals.
__attribute__((target("avx512f")))
static inline __m256i bfloat16_bits_avx512(__m512 x) {
    const __m512i bias = _mm512_set1_epi32(0x7FFF), one = _mm512_set1_epi32(1);
    const __m512i magnitude = _mm512_set1_epi32(0x7FFFFFFF), infinity = _mm512_set1_epi32(0x7F800000);
    const __m512i quiet = _mm512_set1_epi32(0x40);
    __m512i b = _mm512_castps_si512(x);
    __m512i upper = _mm512_srli_epi32(b, 16);
    __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(b, bias), _mm512_and_si512(upper, one)), 16);
    __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(b, magnitude), infinity);
    rounded = _mm512_mask_or_epi32(rounded, nan, upper, quiet);
    return _mm512_cvtepi32_epi16(rounded);
}

__attribute__((target("avx512f")))
static void add_and_round_avx512(float *theta, const float *v, uint16_t *r, int64_t count) {
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 t = _mm512_add_ps(_mm512_loadu_ps(theta + i), _mm512_loadu_ps(v + i));
        _mm512_storeu_ps(theta + i, t);
        _mm256_storeu_si256((__m256i *)(r + i), bfloat16_bits_avx512(t));
    }
    for (; i < count; i++) {
        theta[i] += v[i];
        r[i] = bfloat16_bits(theta[i]);
    }
}

__attribute__((target("avx512f")))
static void round_avx512(const float *x, uint16_t *r, int64_t count) {
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) _mm256_storeu_si256((__m256i *)(r + i), bfloat16_bits_avx512(_mm512_loadu_ps(x + i)));
    for (; i < count; i++) r[i] = bfloat16_bits(x[i]);
}

__attribute__((target("avx512f")))
static void gather_pixels_avx512(const uint8_t *source, int64_t width, float scale, float *x, uint16_t *r) {
    const __m512 s = _mm512_set1_ps(scale);
    int64_t p = 0;
    for (; p + 16 <= width; p += 16) {
        __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(source + p)))), s);
        if (x) _mm512_storeu_ps(x + p, v);
        if (r) _mm256_storeu_si256((__m256i *)(r + p), bfloat16_bits_avx512(v));
    }
    gather_pixels_from(p, source, width, scale, x, r);
}
#endif

static void gather_pixels(const uint8_t *source, int64_t width, float scale, float *x, uint16_t *r) {
    gather_pixels_from(0, source, width, scale, x, r);
}

void perceptron_gather_pixels(const uint8_t *pixels, const int64_t *indices, int64_t rows, int64_t width,
                              float scale, float *x, uint16_t *r) {
    void (*gather)(const uint8_t *, int64_t, float, float *, uint16_t *) = gather_pixels;
#if defined(__x86_64__)
    if (perceptron_update_is_fused()) gather = gather_pixels_avx512;
#endif
    for (int64_t row = 0; row < rows; row++)
        gather(pixels + indices[row] * width, width, scale, x ? x + row * width : 0, r ? r + row * width : 0);
}

int perceptron_update_is_fused(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
#else
    return 0;
#endif
}

void perceptron_add_and_round(float *theta, const float *v, uint16_t *r, int64_t count) {
#if defined(__x86_64__)
    if (perceptron_update_is_fused()) { add_and_round_avx512(theta, v, r, count); return; }
#endif
    for (int64_t i = 0; i < count; i++) {
        theta[i] += v[i];
        r[i] = bfloat16_bits(theta[i]);
    }
}

void perceptron_round(const float *x, uint16_t *r, int64_t count) {
#if defined(__x86_64__)
    if (perceptron_update_is_fused()) { round_avx512(x, r, count); return; }
#endif
    for (int64_t i = 0; i < count; i++) r[i] = bfloat16_bits(x[i]);
}
