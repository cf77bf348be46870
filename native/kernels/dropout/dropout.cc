#include "kernels/dropout/dropout.h"

#include "runtime/threadpool.h"

namespace tg {

template <class T>
void apply_mask(int64_t outer, int64_t inner, const T* x, const T* mask, T* y) {
  const int64_t grain = 1 + (int64_t(1) << 15) / (inner + 1);
  parallel_for(outer, grain, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      const T m = mask[o];
      for (int64_t i = o * inner; i < (o + 1) * inner; ++i) y[i] = x[i] * m;
    }
  });
}

template void apply_mask<float>(int64_t, int64_t, const float*, const float*, float*);
template void apply_mask<double>(int64_t, int64_t, const double*, const double*, double*);

}  // namespace tg
