#include "kernels/linear/linear.h"

#include <algorithm>

#include "kernels/gemm/gemm.h"
#include "kernels/linear/rows.h"
#include "runtime/threadpool.h"

namespace tg {
namespace {

// Rows per parallel chunk: enough elements to be worth a thread.
int64_t row_grain(int64_t N) { return std::max<int64_t>(1, (int64_t(1) << 15) / std::max<int64_t>(N, 1)); }

void gemm_nt(int64_t M, int64_t N, int64_t K, const float* x, const float* w, float* out) {
  sgemm(false, true, M, N, K, 1.0f, x, K, w, K, 0.0f, out, N);
}
void gemm_nt(int64_t M, int64_t N, int64_t K, const double* x, const double* w, double* out) {
  dgemm(false, true, M, N, K, 1.0, x, K, w, K, 0.0, out, N);
}

}  // namespace

template <class T>
void linear(int64_t M, int64_t N, int64_t K, const T* x, const T* w, const T* b, T* out, bool relu) {
  if (M == 0 || N == 0) return;
  gemm_nt(M, N, K, x, w, out);
  if (b == nullptr && !relu) return;
  parallel_for(M, row_grain(N), [&](int64_t r0, int64_t r1) { bias_relu_rows(out, b, N, r0, r1, relu); });
}

template <class T>
void relu_bias_backward(int64_t M, int64_t N, const T* y, const T* g, T* gp, T* db) {
  // Threads split over columns only, so each column is summed in the same order at any thread count.
  parallel_for(N, std::max<int64_t>(16, (int64_t(1) << 15) / std::max<int64_t>(M, 1)),
               [&](int64_t j0, int64_t j1) { relu_bias_backward_cols(y, g, gp, db, M, N, j0, j1); });
}

template void linear<float>(int64_t, int64_t, int64_t, const float*, const float*, const float*, float*, bool);
template void linear<double>(int64_t, int64_t, int64_t, const double*, const double*, const double*, double*, bool);
template void relu_bias_backward<float>(int64_t, int64_t, const float*, const float*, float*, float*);
template void relu_bias_backward<double>(int64_t, int64_t, const double*, const double*, double*, double*);

}  // namespace tg
