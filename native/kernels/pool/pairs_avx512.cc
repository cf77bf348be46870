// AVX-512 rows of 2×2 stride-2 max pooling (see pairs.h). A step covers 16 outputs: two 16-lane loads per
// input row (masked at the row's end), split into even and odd columns by permutes.
#include "kernels/pool/pairs.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <immintrin.h>

#include <algorithm>

namespace tg {
namespace pool {
namespace {

#pragma GCC push_options
#pragma GCC target("avx512f")

// Lane masks for the first and second 16 of 2·n input columns, and for n outputs (n <= 16).
struct StepMasks {
  __mmask16 lo, hi, out;
  explicit StepMasks(int64_t n)
      : lo(__mmask16((1u << std::min<int64_t>(2 * n, 16)) - 1)),
        hi(__mmask16((1u << std::max<int64_t>(2 * n - 16, 0)) - 1)),
        out(__mmask16((1u << n) - 1)) {}
};

// Even and odd columns of one input row for 16 outputs.
inline void split(const float* row, const StepMasks& m, __m512& even, __m512& odd) {
  const __m512 a = _mm512_maskz_loadu_ps(m.lo, row), b = _mm512_maskz_loadu_ps(m.hi, row + 16);
  even = _mm512_permutex2var_ps(a, _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b);
  odd = _mm512_permutex2var_ps(a, _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b);
}

// best, at ← v, i where v > best or v is NaN (the portable loop's take_if_larger).
inline void take_if_larger(__m512 v, __m512i i, __m512& best, __m512i& at) {
  const __mmask16 take = _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ) | _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
  best = _mm512_mask_mov_ps(best, take, v);
  at = _mm512_mask_mov_epi32(at, take, i);
}

// Columns 2·l and 2·l + 1 of an input row from lane l of `even` and `odd`, stored for 16 outputs.
inline void merge_store(float* row, const StepMasks& m, __m512 even, __m512 odd) {
  const __m512 a = _mm512_permutex2var_ps(even, _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), odd);
  const __m512 b = _mm512_permutex2var_ps(even, _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), odd);
  _mm512_mask_storeu_ps(row, m.lo, a);
  _mm512_mask_storeu_ps(row + 16, m.hi, b);
}

// i0 + 2·(ow + l) in lane l: each window's first flat index.
inline __m512i first_index(int32_t i0, int64_t ow) {
  const __m512i lanes = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  return _mm512_add_epi32(_mm512_set1_epi32(i0 + int32_t(2 * ow)), lanes);
}

#pragma GCC pop_options

}  // namespace

#pragma GCC push_options
#pragma GCC target("avx512f")

void max_pairs_row_f32_avx512(const float* r0, int64_t w, int64_t ow_count, int32_t i0, float* yr, int32_t* ir) {
  const __m512i one = _mm512_set1_epi32(1), down = _mm512_set1_epi32(int32_t(w));
  for (int64_t ow = 0; ow < ow_count; ow += 16) {
    const StepMasks m(std::min<int64_t>(16, ow_count - ow));
    __m512 v00, v01, v10, v11;
    split(r0 + 2 * ow, m, v00, v01);
    split(r0 + w + 2 * ow, m, v10, v11);
    const __m512i i00 = first_index(i0, ow), i10 = _mm512_add_epi32(i00, down);
    __m512 best = v00;  // taken as it is, NaN or −inf included (PyTorch starts from −inf at this position)
    __m512i at = i00;
    take_if_larger(v01, _mm512_add_epi32(i00, one), best, at);
    take_if_larger(v10, i10, best, at);
    take_if_larger(v11, _mm512_add_epi32(i10, one), best, at);
    _mm512_mask_storeu_ps(yr + ow, m.out, best);
    _mm512_mask_storeu_epi32(ir + ow, m.out, at);
  }
}

void unpool_pairs_row_f32_avx512(const float* gy, const int32_t* ir, int64_t w, int64_t ow_count, int32_t i0,
                                 float* r0) {
  const __m512i one = _mm512_set1_epi32(1), down = _mm512_set1_epi32(int32_t(w)), zero_i = _mm512_setzero_si512();
  const __m512 zero = _mm512_setzero_ps();
  for (int64_t ow = 0; ow < ow_count; ow += 16) {
    const StepMasks m(std::min<int64_t>(16, ow_count - ow));
    // `v + 0` is what a scatter into zeros gives: a -0 gradient lands as +0.
    const __m512 v = _mm512_add_ps(_mm512_maskz_loadu_ps(m.out, gy + ow), zero);
    const __m512i at = _mm512_sub_epi32(_mm512_maskz_loadu_epi32(m.out, ir + ow), first_index(i0, ow));
    const auto where = [&](__m512i k) { return _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(at, k), v); };
    merge_store(r0 + 2 * ow, m, where(zero_i), where(one));
    merge_store(r0 + w + 2 * ow, m, where(down), where(_mm512_add_epi32(down, one)));
  }
}

#pragma GCC pop_options

}  // namespace pool
}  // namespace tg

#else

namespace tg {
namespace pool {
void max_pairs_row_f32_avx512(const float*, int64_t, int64_t, int32_t, float*, int32_t*) {}
void unpool_pairs_row_f32_avx512(const float*, const int32_t*, int64_t, int64_t, int32_t, float*) {}
}  // namespace pool
}  // namespace tg

#endif
