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
    if (r) {
        for (; i + 16 <= count; i += 16) {
            __m512 t = _mm512_add_ps(_mm512_loadu_ps(theta + i), _mm512_loadu_ps(v + i));
            _mm512_storeu_ps(theta + i, t);
            _mm256_storeu_si256((__m256i *)(r + i), bfloat16_bits_avx512(t));
        }
    } else {
        for (; i + 16 <= count; i += 16) _mm512_storeu_ps(theta + i, _mm512_add_ps(_mm512_loadu_ps(theta + i), _mm512_loadu_ps(v + i)));
    }
    for (; i < count; i++) {
        theta[i] += v[i];
        if (r) r[i] = bfloat16_bits(theta[i]);
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

#if defined(__x86_64__)
// The 16×16 block whose rows are r[0…15] (16 lanes of 32 bits, four 128-bit quarters of 4),
// transposed in place. After the two unpacks, u[4k + j]'s quarter q holds column 4q + j of the rows
// 4k…4k + 3; two rounds of quarter shuffles then gather column c = 4q + j from u[j], u[4 + j],
// u[8 + j] and u[12 + j].
__attribute__((target("avx512f")))
static inline void transpose_16x16_avx512(__m512 r[16]) {
    __m512 t[16], u[16];
    for (int k = 0; k < 8; k++) {
        t[2 * k] = _mm512_unpacklo_ps(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm512_unpackhi_ps(r[2 * k], r[2 * k + 1]);
    }
    for (int k = 0; k < 4; k++) {
        u[4 * k] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * k]), _mm512_castps_pd(t[4 * k + 2])));
        u[4 * k + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * k]), _mm512_castps_pd(t[4 * k + 2])));
        u[4 * k + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * k + 1]), _mm512_castps_pd(t[4 * k + 3])));
        u[4 * k + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * k + 1]), _mm512_castps_pd(t[4 * k + 3])));
    }
    for (int j = 0; j < 4; j++) {
        __m512 v0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x44), v1 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xEE);
        __m512 w0 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x44), w1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xEE);
        r[j] = _mm512_shuffle_f32x4(v0, w0, 0x88);
        r[4 + j] = _mm512_shuffle_f32x4(v0, w0, 0xDD);
        r[8 + j] = _mm512_shuffle_f32x4(v1, w1, 0x88);
        r[12 + j] = _mm512_shuffle_f32x4(v1, w1, 0xDD);
    }
}

// The 16 × 16 block of perceptron_transpose_with_bias at row j of Cᵀ and column i.
__attribute__((target("avx512f")))
static inline void transpose_with_bias_block_avx512(const float *ct, int64_t m, const float *bias, int relu, int64_t j, int64_t i,
                                                    void *c, int64_t ldc, int bf16) {
    __m512 r[16];
    const __m512 zero = _mm512_setzero_ps();
    for (int k = 0; k < 16; k++) {
        __m512 v = _mm512_loadu_ps(ct + (j + k) * m + i);
        if (bias) v = _mm512_add_ps(v, _mm512_set1_ps(bias[j + k]));
        if (relu) v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, zero, _CMP_GT_OQ), _mm512_mul_ps(v, zero), v);
        r[k] = v;
    }
    transpose_16x16_avx512(r);
    for (int k = 0; k < 16; k++) {
        if (bf16) _mm256_storeu_si256((__m256i *)((uint16_t *)c + (i + k) * ldc + j), bfloat16_bits_avx512(r[k]));
        else _mm512_storeu_ps((float *)c + (i + k) * ldc + j, r[k]);
    }
}
#endif

// The rows j ∈ [first, last) of Cᵀ and the columns i ∈ [from, m) of perceptron_transpose_with_bias, one
// element at a time.
static void transpose_with_bias_from(const float *ct, int64_t m, const float *bias, int relu, int64_t first, int64_t last,
                                     int64_t from, void *c, int64_t ldc, int bf16) {
    for (int64_t j = first; j < last; j++)
        for (int64_t i = from; i < m; i++) {
            float v = ct[j * m + i];
            if (bias) v += bias[j];
            if (relu) v = v > 0 ? v : 0 * v;
            if (bf16) ((uint16_t *)c)[i * ldc + j] = bfloat16_bits(v);
            else ((float *)c)[i * ldc + j] = v;
        }
}

void perceptron_transpose_with_bias(const float *ct, int64_t m, const float *bias, int relu, int64_t first, int64_t last,
                                    void *c, int64_t ldc, int bf16) {
    int64_t j = first;
#if defined(__x86_64__)
    if (perceptron_update_is_fused()) {
        // Along a row of C first: the blocks one after another fill its cache lines whole.
        int64_t whole = m / 16 * 16, blocked = first + (last - first) / 16 * 16;
        for (int64_t i = 0; i < whole; i += 16)
            for (j = first; j < blocked; j += 16) transpose_with_bias_block_avx512(ct, m, bias, relu, j, i, c, ldc, bf16);
        transpose_with_bias_from(ct, m, bias, relu, first, blocked, whole, c, ldc, bf16);  // the last columns of those rows
        j = blocked;
    }
#endif
    transpose_with_bias_from(ct, m, bias, relu, j, last, 0, c, ldc, bf16);
}

// The ReLU's derivative on one bfloat16 δ, from its output a, on their bits (perceptron_relu_derivative_bf16).
static inline uint16_t relu_derivative_bits(uint16_t d, uint16_t a) {
    int kept = (a > 0 && a < 0x8000) || a > 0xFF80, nan = (d & 0x7FFF) > 0x7F80, infinite = (d & 0x7FFF) == 0x7F80;
    uint16_t r = kept || nan ? d : infinite ? 0xFFC0 : d & 0x8000;  // 0·∞: the CPU's default NaN
    return nan ? r | 0x40 : r;
}

#if defined(__x86_64__)
// relu_derivative_bits of 32 values at once.
__attribute__((target("avx512f,avx512bw")))
static void relu_derivative_avx512(uint16_t *delta, const uint16_t *a, int64_t count) {
    const __m512i magnitude = _mm512_set1_epi16(0x7FFF), infinity = _mm512_set1_epi16(0x7F80);
    int64_t i = 0;
    for (; i + 32 <= count; i += 32) {
        __m512i d = _mm512_loadu_si512(delta + i), y = _mm512_loadu_si512(a + i), m = _mm512_and_si512(d, magnitude);
        __mmask32 kept = _mm512_cmpgt_epi16_mask(y, _mm512_setzero_si512())                      // a > 0, or a positive NaN
                       | _mm512_cmpgt_epu16_mask(y, _mm512_set1_epi16((short)0xFF80));          // a negative NaN
        __mmask32 nan = _mm512_cmpgt_epu16_mask(m, infinity), infinite = _mm512_cmpeq_epi16_mask(m, infinity);
        __m512i r = _mm512_mask_mov_epi16(_mm512_and_si512(d, _mm512_set1_epi16((short)0x8000)), kept | nan, d);
        r = _mm512_mask_mov_epi16(r, infinite & ~kept, _mm512_set1_epi16((short)0xFFC0));
        _mm512_storeu_si512(delta + i, _mm512_mask_mov_epi16(r, nan, _mm512_or_si512(r, _mm512_set1_epi16(0x40))));
    }
    for (; i < count; i++) delta[i] = relu_derivative_bits(delta[i], a[i]);
}
#endif

void perceptron_relu_derivative_bf16(uint16_t *delta, const uint16_t *a, int64_t count) {
#if defined(__x86_64__)
    if (perceptron_update_is_fused() && __builtin_cpu_supports("avx512bw")) { relu_derivative_avx512(delta, a, count); return; }
#endif
    for (int64_t i = 0; i < count; i++) delta[i] = relu_derivative_bits(delta[i], a[i]);
}

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
    if (!r) {
        for (int64_t i = 0; i < count; i++) theta[i] += v[i];
        return;
    }
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
