#include "kernels/linear/linear.h"

#include <algorithm>

#include "kernels/gemm/gemm.h"
#include "runtime/threadpool.h"

namespace tg {
namespace {

// Rows per parallel chunk: enough elements to be worth a thread.
int64_t row_grain(int64_t N) { return std::max<int64_t>(1, (int64_t(1) << 15) / std::max<int64_t>(N, 1)); }

void gemm_nt(int64_t M, int64_t N, int64_t K, const float* x, const float* w, float beta, float* out) {
  sgemm(false, true, M, N, K, 1.0f, x, K, w, K, beta, out, N);
}
void gemm_nt(int64_t M, int64_t N, int64_t K, const double* x, const double* w, double beta, double* out) {
  dgemm(false, true, M, N, K, 1.0, x, K, w, K, beta, out, N);
}

}  // namespace

template <class T>
void linear(int64_t M, int64_t N, int64_t K, const T* x, const T* w, const T* b, T* out, bool relu) {
  if (M == 0 || N == 0) return;
  if (b != nullptr) {
    parallel_for(M, row_grain(N), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) std::copy(b, b + N, out + r * N);
    });
  }
  gemm_nt(M, N, K, x, w, b != nullptr ? T(1) : T(0), out);
  if (!relu) return;
  parallel_for(M, row_grain(N), [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0 * N; i < r1 * N; ++i) out[i] = out[i] < 0 ? T(0) : out[i];  // as the relu op (unary.h): NaN stays NaN
  });
}

template void linear<float>(int64_t, int64_t, int64_t, const float*, const float*, const float*, float*, bool);
template void linear<double>(int64_t, int64_t, int64_t, const double*, const double*, const double*, double*, bool);

}  // namespace tg
