#include "kernels/gemm/pack.h"

#include <algorithm>

namespace tg {
namespace gemm {
namespace {

// One panel whose `width` packed lanes are contiguous in the source (lane stride 1, k stride ld).
template <typename T>
void pack_rows_contiguous(const T* src, int64_t ld, int64_t kb, int64_t used, int width, T* dst) {
  for (int64_t k = 0; k < kb; ++k, dst += width) {
    const T* s = src + k * ld;
    for (int64_t r = 0; r < used; ++r) dst[r] = s[r];  // a loop, not memcpy: rows are short
    for (int64_t r = used; r < width; ++r) dst[r] = T(0);
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
  for (int64_t p = 0; p < lanes; p += width, dst += width * kb) {
    const int64_t used = std::min<int64_t>(width, lanes - p);
    if (lanes_contiguous) {
      pack_rows_contiguous(src + p, ld, kb, used, width, dst);
    } else {
      pack_rows_strided(src + p * ld, ld, kb, used, width, dst);
    }
  }
}

template void pack_generic<float>(bool, const float*, int64_t, int64_t, int64_t, int, float*);
template void pack_generic<double>(bool, const double*, int64_t, int64_t, int64_t, int, double*);

}  // namespace gemm
}  // namespace tg
