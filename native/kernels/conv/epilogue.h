#pragma once
// A convolution layer's bias and ReLU applied inside its forward kernels (on each block of output just computed,
// while it is in cache) instead of a bias pre-fill and a separate ReLU pass, and the fused layer's backward: the
// ReLU mask and the bias gradient in one pass over the output gradient.
#include <cstdint>

namespace tg {
namespace conv {

// y[i·ld + j] = relu?(y[i·ld + j] + b[i]) for a block of rows × cols; b may be null (then nothing is added,
// so a -0 stays -0). ReLU as the relu op: x < 0 → +0, NaN stays NaN.
template <typename T>
inline void bias_relu(T* y, int64_t ld, int64_t rows, int64_t cols, const T* b, bool relu) {
  for (int64_t i = 0; i < rows; ++i) {
    T* r = y + i * ld;
    if (b != nullptr) {
      const T bi = b[i];
      for (int64_t j = 0; j < cols; ++j) r[j] += bi;
    }
    if (relu)
      for (int64_t j = 0; j < cols; ++j) r[j] = r[j] < 0 ? T(0) : r[j];
  }
}

// For y = relu(conv + b) with y, g and gp [N, C, P]: gp = g where y > 0 (or y is NaN, as the relu op's rule),
// else 0; db[c] = Σ_{n,p} gp[n, c, p] summed in double in an order fixed by the shape (db may be null). Threads split over
// channels only, so results are identical at any thread count.
template <typename T>
void relu_bias_backward_planes(int64_t N, int64_t C, int64_t P, const T* y, const T* g, T* gp, T* db);

}  // namespace conv
}  // namespace tg
