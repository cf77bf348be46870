#pragma once
// Portable C-tile update from an MR×NR accumulator array: used by the generic kernel and by the SIMD kernels
// for partial tiles. No target attribute, so any out-of-line copy is baseline code.
#include <cstdint>

namespace tg {
namespace gemm {

template <typename T>
inline void store_tile(const T* acc, int nr, T* c, int64_t ldc, int64_t m, int64_t n, T alpha, T beta) {
  for (int64_t i = 0; i < m; ++i) {
    T* ci = c + i * ldc;
    const T* ai = acc + i * nr;
    if (beta == T(0)) {
      for (int64_t j = 0; j < n; ++j) ci[j] = alpha * ai[j];
    } else {
      for (int64_t j = 0; j < n; ++j) ci[j] = alpha * ai[j] + beta * ci[j];
    }
  }
}

}  // namespace gemm
}  // namespace tg
