#include "kernels/conv/epilogue.h"

#include "kernels/elementwise/relu_grad.h"
#include "runtime/threadpool.h"

namespace tg {
namespace conv {

// The bias gradient's sums run in kLanes interleaved double accumulators (position p feeds lane p mod kLanes of
// its plane), added in lane order at the end: independent chains the compiler vectorises, where one running sum
// waits on each add's latency (perf: that made this pass a tenth of LeNet's step). The order is fixed by the
// shape alone.
constexpr int64_t kLanes = 8;

template <typename T>
void relu_bias_backward_planes(int64_t N, int64_t C, int64_t P, const T* y, const T* g, T* gp, T* db) {
  parallel_for(C, 1 + (int64_t(1) << 14) / (N * P + 1), [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      double acc[kLanes] = {};
      for (int64_t n = 0; n < N; ++n) {
        const int64_t at = (n * C + c) * P;
        const T* yp = y + at;
        const T* gq = g + at;
        T* out = gp + at;
        for (int64_t p = 0; p < P; ++p) out[p] = relu_grad(yp[p], gq[p]);
        if (db == nullptr) continue;
        int64_t p = 0;
        for (; p + kLanes <= P; p += kLanes)
          for (int64_t j = 0; j < kLanes; ++j) acc[j] += static_cast<double>(out[p + j]);
        for (int64_t j = 0; p + j < P; ++j) acc[j] += static_cast<double>(out[p + j]);
      }
      if (db == nullptr) continue;
      double s = 0;
      for (int64_t j = 0; j < kLanes; ++j) s += acc[j];
      db[c] = static_cast<T>(s);
    }
  });
}

template void relu_bias_backward_planes<float>(int64_t, int64_t, int64_t, const float*, const float*, float*, float*);
template void relu_bias_backward_planes<double>(int64_t, int64_t, int64_t, const double*, const double*, double*,
                                                double*);

}  // namespace conv
}  // namespace tg
