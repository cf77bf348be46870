#include "kernels/gemm/pack.h"

#include <algorithm>

namespace tg {
namespace gemm {
namespace {

// Every panel of a block whose lanes are contiguous in the source (lane stride 1, k stride ld). The rows lie
// ld apart (often a page or more), so one panel's walk down the depth would touch a new page per depth and
// defeat the hardware prefetchers: a band of kBand rows is copied panel by panel instead, reading each of
// those rows sequentially and writing each panel contiguously.
template <typename T>
void pack_contiguous(const T* src, int64_t ld, int64_t lanes, int64_t kb, int width, T* dst) {
  constexpr int64_t kBand = 8;
  for (int64_t k0 = 0; k0 < kb; k0 += kBand) {
    const int64_t k1 = std::min(kb, k0 + kBand);
    for (int64_t p = 0; p < lanes; p += width) {
      const int64_t used = std::min<int64_t>(width, lanes - p);
      T* d = dst + p * kb + k0 * width;
      for (int64_t k = k0; k < k1; ++k, d += width) {
        const T* s = src + k * ld + p;
        for (int64_t r = 0; r < used; ++r) d[r] = s[r];  // a loop, not memcpy: rows are short
        for (int64_t r = used; r < width; ++r) d[r] = T(0);
      }
    }
  }
}

// One panel whose packed lanes are strided in the source (lane stride ld, k stride 1): a transpose.
template <typename T>
void pack_rows_strided(const T* src, int64_t ld, int64_t kb, int64_t used, int width, T* dst) {
  for (int64_t r = 0; r < used; ++r) {
    const T* s = src + r * ld;
    for (int64_t k = 0; k < kb; ++k) dst[k * width + r] = s[k];
  }
  for (int64_t r = used; r < width; ++r) {
    for (int64_t k = 0; k < kb; ++k) dst[k * width + r] = T(0);
  }
}

}  // namespace

template <typename T>
void pack_generic(bool lanes_contiguous, const T* src, int64_t ld, int64_t lanes, int64_t kb, int width, T* dst) {
  if (lanes_contiguous) {
    pack_contiguous(src, ld, lanes, kb, width, dst);
    return;
  }
  for (int64_t p = 0; p < lanes; p += width, dst += width * kb) {
    pack_rows_strided(src + p * ld, ld, kb, std::min<int64_t>(width, lanes - p), width, dst);
  }
}

template void pack_generic<float>(bool, const float*, int64_t, int64_t, int64_t, int, float*);
template void pack_generic<double>(bool, const double*, int64_t, int64_t, int64_t, int, double*);

}  // namespace gemm
}  // namespace tg
