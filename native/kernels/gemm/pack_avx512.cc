// AVX-512 fp32 packing. The transposing case (op(A) not transposed, op(B) transposed) dominates GEMMs with a
// short side such as [128×512]·[784×512]ᵀ, where a scalar gather costs as much as the arithmetic; here it
// moves 16×16 blocks through an in-register transpose. Masked loads/stores absorb every edge.
#include "kernels/gemm/pack.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <immintrin.h>

#include <algorithm>

// GCC 12's _mm512_undefined_ps() (inside the unpack intrinsics) trips a false -Wmaybe-uninitialized.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#define TG_AVX512 __attribute__((target("avx512f,avx512vl"), always_inline)) inline

namespace tg {
namespace gemm {
namespace {

// First n lanes set, n clamped to [0, 16].
__mmask16 lanes(int64_t n) { return n <= 0 ? 0 : n >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << n) - 1); }

TG_AVX512 __m512 lo_pd(__m512 a, __m512 b) {
  return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a), _mm512_castps_pd(b)));
}
TG_AVX512 __m512 hi_pd(__m512 a, __m512 b) {
  return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a), _mm512_castps_pd(b)));
}

// In place: r[i] lane j becomes r[j] lane i.
TG_AVX512 void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  // Now each 128-bit lane L of r[4q + c] holds column 4L + c of rows 4q..4q+3.
  for (int q = 0; q < 16; q += 4) {
    r[q] = lo_pd(t[q], t[q + 2]);
    r[q + 1] = hi_pd(t[q], t[q + 2]);
    r[q + 2] = lo_pd(t[q + 1], t[q + 3]);
    r[q + 3] = hi_pd(t[q + 1], t[q + 3]);
  }
  for (int c = 0; c < 4; ++c) {
    t[c] = _mm512_shuffle_f32x4(r[c], r[c + 4], 0x88);       // columns c, c+8 of rows 0..7
    t[c + 4] = _mm512_shuffle_f32x4(r[c], r[c + 4], 0xdd);   // columns c+4, c+12 of rows 0..7
    t[c + 8] = _mm512_shuffle_f32x4(r[c + 8], r[c + 12], 0x88);
    t[c + 12] = _mm512_shuffle_f32x4(r[c + 8], r[c + 12], 0xdd);
  }
  for (int c = 0; c < 8; ++c) {
    r[c] = _mm512_shuffle_f32x4(t[c], t[c + 8], 0x88);      // column c of rows 0..15
    r[c + 8] = _mm512_shuffle_f32x4(t[c], t[c + 8], 0xdd);  // column c + 8
  }
}

// Copies: lane r at depth k is src[k*ld + r], for all `lanes` lanes (every panel). Rows of the source lie
// ld apart (often a page or more), so a walk down one panel's depth touches a new page per depth and defeats
// the hardware prefetchers; instead a band of kBand rows is copied panel by panel, which reads each of
// those rows sequentially while each panel's destination is written contiguously.
__attribute__((target("avx512f,avx512vl"))) void pack_copy(const float* src, int64_t ld, int64_t lanes_total,
                                                            int64_t kb, int width, float* dst) {
  constexpr int64_t kBand = 8;
  for (int64_t k0 = 0; k0 < kb; k0 += kBand) {
    const int64_t k1 = std::min(kb, k0 + kBand);
    for (int64_t p = 0; p < lanes_total; p += width) {
      const int64_t used = std::min<int64_t>(width, lanes_total - p);
      float* d = dst + p * kb + k0 * width;
      for (int64_t k = k0; k < k1; ++k, d += width) {
        const float* s = src + k * ld + p;
        for (int v = 0; v < width; v += 16) {
          const __m512 x = _mm512_maskz_loadu_ps(lanes(used - v), s + v);
          _mm512_mask_storeu_ps(d + v, lanes(width - v), x);
        }
      }
    }
  }
}

// Transposes: lane r at depth k is src[r*ld + k]. Blocks of 16 lanes × 16 depths.
__attribute__((target("avx512f,avx512vl"))) void pack_transpose(const float* src, int64_t ld, int64_t used,
                                                                 int64_t kb, int width, float* dst) {
  for (int r0 = 0; r0 < width; r0 += 16) {
    const int64_t rows = std::min<int64_t>(16, used - r0);
    const __mmask16 out = lanes(width - r0);
    for (int64_t k0 = 0; k0 < kb; k0 += 16) {
      const __mmask16 in = lanes(kb - k0);
      __m512 r[16];
      for (int i = 0; i < 16; ++i) {
        r[i] = i < rows ? _mm512_maskz_loadu_ps(in, src + (r0 + i) * ld + k0) : _mm512_setzero_ps();
      }
      transpose16(r);
      const int64_t depth = std::min<int64_t>(16, kb - k0);
      for (int i = 0; i < depth; ++i) _mm512_mask_storeu_ps(dst + (k0 + i) * width + r0, out, r[i]);
    }
  }
}

}  // namespace

void pack_f32_avx512(bool lanes_contiguous, const float* src, int64_t ld, int64_t n, int64_t kb, int width,
                     float* dst) {
  if (lanes_contiguous) {
    pack_copy(src, ld, n, kb, width, dst);
    return;
  }
  for (int64_t p = 0; p < n; p += width, dst += width * kb) {
    pack_transpose(src + p * ld, ld, std::min<int64_t>(width, n - p), kb, width, dst);
  }
}

}  // namespace gemm
}  // namespace tg

#else

namespace tg {
namespace gemm {
void pack_f32_avx512(bool lanes_contiguous, const float* src, int64_t ld, int64_t n, int64_t kb, int width,
                     float* dst) {
  pack_generic(lanes_contiguous, src, ld, n, kb, width, dst);
}
}  // namespace gemm
}  // namespace tg

#endif
