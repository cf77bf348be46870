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

#pragma GCC pop_options

}  // namespace pool
}  // namespace tg

#else

namespace tg {
namespace pool {
void max_pairs_row_f32_avx512(const float*, int64_t, int64_t, int32_t, float*, int32_t*) {}
}  // namespace pool
}  // namespace tg

#endif
