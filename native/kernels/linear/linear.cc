#include "kernels/linear/linear.h"

#include <algorithm>

#include "kernels/gemm/gemm.h"
#include "kernels/linear/rows.h"
#include "runtime/threadpool.h"

namespace tg {
namespace {

void gemm_nt(int64_t M, int64_t N, int64_t K, const float* x, const float* w, float* out, const GemmEpilogue& e) {
  sgemm(false, true, M, N, K, 1.0f, x, K, w, K, 0.0f, out, N, e);
}
void gemm_nt(int64_t M, int64_t N, int64_t K, const double* x, const double* w, double* out, const GemmEpilogue& e) {
  dgemm(false, true, M, N, K, 1.0, x, K, w, K, 0.0, out, N, e);
}

}  // namespace

// The bias and ReLU run as the GEMM's epilogue, on each block of out once its sums are final: the same
// arithmetic per element as a pass after the GEMM (so the same bits), with the block still in cache.
template <class T>
void linear(int64_t M, int64_t N, int64_t K, const T* x, const T* w, const T* b, T* out, bool relu) {
  if (M == 0 || N == 0) return;
  GemmEpilogue bias_relu;
  if (b != nullptr || relu)
    bias_relu = [&](int64_t i0, int64_t rows, int64_t j0, int64_t cols) {
      bias_relu_rows(out + j0, N, b == nullptr ? nullptr : b + j0, cols, i0, i0 + rows, relu);
    };
  gemm_nt(M, N, K, x, w, out, bias_relu);
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
