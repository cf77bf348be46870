// AVX-512 im2col for fp32: each contiguous run of an input row moves as 16-lane loads and stores.
#include "kernels/conv/im2col.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

namespace tg {
namespace conv {
namespace {

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl")

// Plain (unmasked) 16-lane loads and stores only: on AMD Zen a masked load whose mask drops lanes was measured
// far slower than a plain one (perf: the im2col share of a padded 3×3 conv fell from 45 % to 25 % without
// them). A run is copied in 16-lane steps, the last one overlapping the one before (runs of 4 to 15 as two
// overlapping 4- or 8-lane steps); runs shorter than 4 are scalar.
struct Avx512Run {
  // d[l] = src[l] for l < len.
  static void copy_inside(float* d, const float* src, int64_t len) {
    if (len >= 16) {
      int64_t l = 0;
      for (; l + 32 <= len; l += 32) {
        const __m512 a = _mm512_loadu_ps(src + l), b = _mm512_loadu_ps(src + l + 16);
        _mm512_storeu_ps(d + l, a);
        _mm512_storeu_ps(d + l + 16, b);
      }
      // The rest (1 to 31 lanes; the run has at least 16) as one or two 16-lane steps ending at len, loads before
      // stores: a load issued after a store whose address matches it modulo 4 KiB waits for that store.
      if (len - l > 16) {
        const __m512 a = _mm512_loadu_ps(src + l), b = _mm512_loadu_ps(src + len - 16);
        _mm512_storeu_ps(d + l, a);
        _mm512_storeu_ps(d + len - 16, b);
      } else if (l < len) {
        _mm512_storeu_ps(d + len - 16, _mm512_loadu_ps(src + len - 16));
      }
    } else if (len >= 8) {  // two overlapping 8-lane steps (runs of half an output row, as 48-wide panels cut)
      const __m256 a = _mm256_loadu_ps(src), b = _mm256_loadu_ps(src + len - 8);
      _mm256_storeu_ps(d, a);
      _mm256_storeu_ps(d + len - 8, b);
    } else if (len >= 4) {
      const __m128 a = _mm_loadu_ps(src), b = _mm_loadu_ps(src + len - 4);
      _mm_storeu_ps(d, a);
      _mm_storeu_ps(d + len - 4, b);
    } else {
      for (int64_t l = 0; l < len; ++l) d[l] = src[l];
    }
  }

  // The in-image part of a run [lo, hi) is copied as above; the padding lanes are scalar zeros.
  static void copy(float* d, const float* row, int64_t iw, int64_t len, int64_t w) {
    const int64_t lo = std::clamp<int64_t>(-iw, 0, len), hi = std::clamp<int64_t>(w - iw, lo, len);
    for (int64_t l = 0; l < lo; ++l) d[l] = 0.0f;
    copy_inside(d + lo, row + iw + lo, hi - lo);
    for (int64_t l = hi; l < len; ++l) d[l] = 0.0f;
  }
};

#include "kernels/conv/im2col_body.h"

#pragma GCC pop_options

}  // namespace

void im2col_rows_f32_avx512(const ConvGeom& g, const float* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1,
                            float* dst, int64_t ld) {
  im2col_rows_body<float, Avx512Run>(g, x, k0, k1, p0, p1, dst, ld);
}

}  // namespace conv
}  // namespace tg

#else

namespace tg {
namespace conv {
void im2col_rows_f32_avx512(const ConvGeom& g, const float* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1,
                            float* dst, int64_t ld) {
  im2col_rows<float>(g, x, k0, k1, p0, p1, dst, ld);
}
}  // namespace conv
}  // namespace tg

#endif
