#include "kernels/linear/linear.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/elementwise/relu_grad.h"
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

template <class T>
void relu_bias_backward(int64_t M, int64_t N, const T* y, const T* g, T* gp, T* db) {
  constexpr int64_t kCols = 512;  // columns per accumulator block (4 KiB of doubles, on the stack)
  // Threads split over columns only, so each column is summed in the same order at any thread count.
  parallel_for(N, std::max<int64_t>(16, (int64_t(1) << 15) / std::max<int64_t>(M, 1)), [&](int64_t j0, int64_t j1) {
    double acc[kCols];
    for (int64_t c0 = j0; c0 < j1; c0 += kCols) {
      const int64_t w = std::min(kCols, j1 - c0);
      std::fill(acc, acc + w, 0.0);
      for (int64_t r = 0; r < M; ++r) {
        const T* yr = y + r * N + c0;
        const T* gr = g + r * N + c0;
        T* out = gp + r * N + c0;
        for (int64_t j = 0; j < w; ++j) out[j] = relu_grad(yr[j], gr[j]);
        for (int64_t j = 0; j < w; ++j) acc[j] += static_cast<double>(out[j]);
      }
      if (db != nullptr)
        for (int64_t j = 0; j < w; ++j) db[c0 + j] = static_cast<T>(acc[j]);
    }
  });
}

template void linear<float>(int64_t, int64_t, int64_t, const float*, const float*, const float*, float*, bool);
template void linear<double>(int64_t, int64_t, int64_t, const double*, const double*, const double*, double*, bool);
template void relu_bias_backward<float>(int64_t, int64_t, const float*, const float*, float*, float*);
template void relu_bias_backward<double>(int64_t, int64_t, const double*, const double*, double*, double*);

}  // namespace tg
