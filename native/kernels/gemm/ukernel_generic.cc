// Portable micro-kernel: plain C++ that the compiler vectorises for the baseline target (SSE2 on x86-64,
// NEON on arm64). Tile sizes keep the accumulators within 16 baseline vector registers.
#include "kernels/gemm/tile_store.h"
#include "kernels/gemm/ukernel.h"

namespace tg {
namespace gemm {
namespace {

template <typename T, int MR, int NR>
void kernel(int64_t kc, const T* a, const T* b, T* c, int64_t ldc, int64_t m, int64_t n, T alpha, T beta) {
  T acc[MR * NR] = {};
  for (int64_t k = 0; k < kc; ++k, a += MR, b += NR) {
    for (int i = 0; i < MR; ++i) {
      for (int j = 0; j < NR; ++j) acc[i * NR + j] += a[i] * b[j];
    }
  }
  store_tile(acc, NR, c, ldc, m, n, alpha, beta);
}

}  // namespace

Ukernel<float> ukernel_f32_generic() { return {4, 8, kernel<float, 4, 8>, pack_generic<float>, nullptr, 0}; }
Ukernel<double> ukernel_f64_generic() { return {4, 4, kernel<double, 4, 4>, pack_generic<double>, nullptr, 0}; }

}  // namespace gemm
}  // namespace tg
