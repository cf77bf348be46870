#include "kernels/norm/local_response_norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "runtime/threadpool.h"

namespace tg {

namespace {

constexpr int64_t kBlock = 256;

// Runs f(base, l0, l1) for each sample n (base = n·C·L) and block [l0, l1) of positions.
template <class F>
void for_each_block(const LrnArgs& a, F f) {
  const int64_t blocks = (a.L + kBlock - 1) / kBlock;
  parallel_for(a.N * blocks, 1 + (int64_t(1) << 14) / (a.C * std::min(a.L, kBlock) * a.size + 1), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const int64_t n = i / blocks, l0 = (i % blocks) * kBlock;
      f(n * a.C * a.L, l0, std::min(a.L, l0 + kBlock));
    }
  });
}

}  // namespace

template <class T>
void local_response_norm(const LrnArgs& a, const T* x, T* y, T* scale) {
  const int64_t before = a.size / 2, after = (a.size - 1) / 2;
  const double coef = a.alpha / double(a.size);
  for_each_block(a, [&](int64_t base, int64_t l0, int64_t l1) {
    for (int64_t c = 0; c < a.C; ++c) {
      const int64_t j0 = std::max<int64_t>(0, c - before), j1 = std::min(a.C - 1, c + after);
      for (int64_t l = l0; l < l1; ++l) {
        double s = 0;
        for (int64_t j = j0; j <= j1; ++j) {
          const double v = x[base + j * a.L + l];
          s += v * v;
        }
        const int64_t i = base + c * a.L + l;
        const double sc = a.k + coef * s;
        scale[i] = T(sc);
        y[i] = T(x[i] * std::pow(sc, -a.beta));
      }
    }
  });
}

template <class T>
void local_response_norm_backward(const LrnArgs& a, const T* x, const T* g, const T* scale, T* gx) {
  // Channel j's window holds c exactly when j is in [c − ⌊(size−1)/2⌋, c + ⌊size/2⌋].
  const int64_t before = (a.size - 1) / 2, after = a.size / 2;
  const double coef = 2.0 * a.alpha * a.beta / double(a.size);
  for_each_block(a, [&](int64_t base, int64_t l0, int64_t l1) {
    // t_j = g_j·x_j·scale_j^(−beta−1) for this block, computed once rather than once per window.
    const int64_t w = l1 - l0;
    std::vector<double> t(size_t(a.C * w));
    for (int64_t j = 0; j < a.C; ++j)
      for (int64_t l = l0; l < l1; ++l) {
        const int64_t q = base + j * a.L + l;
        t[j * w + l - l0] = double(g[q]) * x[q] * std::pow(double(scale[q]), -a.beta - 1);
      }
    for (int64_t c = 0; c < a.C; ++c) {
      const int64_t j0 = std::max<int64_t>(0, c - before), j1 = std::min(a.C - 1, c + after);
      for (int64_t l = l0; l < l1; ++l) {
        double s = 0;
        for (int64_t j = j0; j <= j1; ++j) s += t[j * w + l - l0];
        const int64_t i = base + c * a.L + l;
        gx[i] = T(g[i] * std::pow(double(scale[i]), -a.beta) - coef * x[i] * s);
      }
    }
  });
}

#define TG_INSTANTIATE(T)                                                            \
  template void local_response_norm<T>(const LrnArgs&, const T*, T*, T*);            \
  template void local_response_norm_backward<T>(const LrnArgs&, const T*, const T*, const T*, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
