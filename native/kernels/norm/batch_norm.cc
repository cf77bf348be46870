#include "kernels/norm/batch_norm.h"

#include <cmath>

#include "runtime/threadpool.h"

namespace tg {

namespace {

// Runs f(c, at) for channel c with at(n) the start of its row of L values in sample n.
template <class F>
void for_each_channel(const BatchNormArgs& a, F f) {
  const int64_t per_channel = a.N * a.L + 1;
  parallel_for(a.C, 1 + (int64_t(1) << 14) / per_channel, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) f(c, [&](int64_t n) { return (n * a.C + c) * a.L; });
  });
}

}  // namespace

template <class T>
void batch_norm(const BatchNormArgs& a, const T* x, const T* w, const T* b, T* run_mean, T* run_var, T* y, T* mean,
                T* invstd) {
  const int64_t count = a.N * a.L;
  for_each_channel(a, [&](int64_t c, auto at) {
    double m, is;
    if (a.training) {
      double s = 0, ss = 0;  // two passes, accumulated in double: exact enough for float32 and float64
      for (int64_t n = 0; n < a.N; ++n)
        for (int64_t l = 0; l < a.L; ++l) s += x[at(n) + l];
      m = count ? s / double(count) : 0.0;
      for (int64_t n = 0; n < a.N; ++n)
        for (int64_t l = 0; l < a.L; ++l) {
          const double d = x[at(n) + l] - m;
          ss += d * d;
        }
      const double var = count ? ss / double(count) : 0.0;
      // PyTorch's training invstd is 0 for a constant channel with eps 0 (x̂ = 0, so y = bias), not 1/0.
      is = var == 0 && a.eps == 0 ? 0.0 : 1.0 / std::sqrt(var + a.eps);
      if (run_mean) run_mean[c] = T((1 - a.factor) * run_mean[c] + a.factor * m);
      if (run_var && count > 1) run_var[c] = T((1 - a.factor) * run_var[c] + a.factor * ss / double(count - 1));
    } else {
      m = run_mean[c];
      is = 1.0 / std::sqrt(double(run_var[c]) + a.eps);
    }
    mean[c] = T(m), invstd[c] = T(is);
    // y = x·scale + shift with the affine folded in.
    const double scale = is * (w ? double(w[c]) : 1.0), shift = (b ? double(b[c]) : 0.0) - m * scale;
    for (int64_t n = 0; n < a.N; ++n)
      for (int64_t l = 0; l < a.L; ++l) y[at(n) + l] = T(x[at(n) + l] * scale + shift);
  });
}

template <class T>
void batch_norm_backward(const BatchNormArgs& a, const T* x, const T* g, const T* w, const T* mean, const T* invstd,
                         T* gx, T* gw, T* gb) {
  const double count = double(a.N * a.L);
  for_each_channel(a, [&](int64_t c, auto at) {
    const double m = mean[c], is = invstd[c], wc = w ? double(w[c]) : 1.0;
    double sg = 0, sgd = 0;  // Σ g and Σ g·(x − mean)
    for (int64_t n = 0; n < a.N; ++n)
      for (int64_t l = 0; l < a.L; ++l) {
        const double gi = g[at(n) + l];
        sg += gi;
        sgd += gi * (x[at(n) + l] - m);
      }
    if (gw) gw[c] = T(sgd * is);
    if (gb) gb[c] = T(sg);
    if (!gx) return;
    // training: gx = w·invstd·(g − Σg/n − x̂·Σg·x̂/n); eval: the statistics are constants.
    const double k = a.training && count > 0 ? sgd * is * is / count : 0.0;
    const double mg = a.training && count > 0 ? sg / count : 0.0;
    for (int64_t n = 0; n < a.N; ++n)
      for (int64_t l = 0; l < a.L; ++l) {
        const int64_t i = at(n) + l;
        gx[i] = T(wc * is * (g[i] - mg - (x[i] - m) * k));
      }
  });
}

#define TG_INSTANTIATE(T)                                                                                     \
  template void batch_norm<T>(const BatchNormArgs&, const T*, const T*, const T*, T*, T*, T*, T*, T*);        \
  template void batch_norm_backward<T>(const BatchNormArgs&, const T*, const T*, const T*, const T*, const T*, \
                                       T*, T*, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
