#include "kernels/dropout/dropout.h"

#include "runtime/threadpool.h"

namespace tg {

template <class T>
void dropout_mask(Rng& r, int64_t n, double p, T* mask) {
  const T keep = p < 1 ? T(1.0 / (1.0 - p)) : T(0);
  for (int64_t i = 0; i < n; ++i) mask[i] = r.uniform() < 1.0 - p ? keep : T(0);
}

template <class T>
void apply_mask(int64_t outer, int64_t inner, const T* x, const T* mask, T* y) {
  parallel_for(outer * inner, 1 << 15, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) y[i] = x[i] * mask[i / inner];
  });
}

template void dropout_mask<float>(Rng&, int64_t, double, float*);
template void dropout_mask<double>(Rng&, int64_t, double, double*);
template void apply_mask<float>(int64_t, int64_t, const float*, const float*, float*);
template void apply_mask<double>(int64_t, int64_t, const double*, const double*, double*);

}  // namespace tg
