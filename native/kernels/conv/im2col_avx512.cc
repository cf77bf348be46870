// AVX-512 im2col for fp32: each contiguous run of an input row moves as masked 16-lane loads and stores, the
// mask covering both the padding (lanes outside the image read nothing and write 0) and the run's end.
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

__mmask16 first_lanes(int64_t n) { return n <= 0 ? 0 : n >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << n) - 1); }

struct Avx512Run {
  static void copy(float* d, const float* row, int64_t iw, int64_t len, int64_t w) {
    const int64_t lo = std::clamp<int64_t>(-iw, 0, len), hi = std::clamp<int64_t>(w - iw, lo, len);
    // Masked-off lanes are never read, so the base address may lie outside the row; form it as an integer.
    const uintptr_t base = reinterpret_cast<uintptr_t>(row) + static_cast<uintptr_t>(iw) * sizeof(float);
    for (int64_t l = 0; l < len; l += 16) {
      const __mmask16 valid = static_cast<__mmask16>(first_lanes(hi - l) & ~first_lanes(lo - l));
      const __m512 v = _mm512_maskz_loadu_ps(valid, reinterpret_cast<const float*>(base + l * sizeof(float)));
      _mm512_mask_storeu_ps(d + l, first_lanes(len - l), v);
    }
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
