#include "kernels/conv/epilogue.h"

#include "kernels/elementwise/relu_grad.h"
#include "runtime/threadpool.h"

namespace tg {
namespace conv {

template <typename T>
void relu_bias_backward_planes(int64_t N, int64_t C, int64_t P, const T* y, const T* g, T* gp, T* db) {
  parallel_for(C, 1 + (int64_t(1) << 14) / (N * P + 1), [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      double acc = 0;
      for (int64_t n = 0; n < N; ++n) {
        const int64_t at = (n * C + c) * P;
        for (int64_t p = 0; p < P; ++p) gp[at + p] = relu_grad(y[at + p], g[at + p]);
        if (db != nullptr)
          for (int64_t p = 0; p < P; ++p) acc += static_cast<double>(gp[at + p]);
      }
      if (db != nullptr) db[c] = static_cast<T>(acc);
    }
  });
}

template void relu_bias_backward_planes<float>(int64_t, int64_t, int64_t, const float*, const float*, float*, float*);
template void relu_bias_backward_planes<double>(int64_t, int64_t, int64_t, const double*, const double*, double*,
                                                double*);

}  // namespace conv
}  // namespace tg
