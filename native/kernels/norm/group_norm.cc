#include "kernels/norm/group_norm.h"

#include <cmath>

#include "runtime/threadpool.h"

namespace tg {

namespace {

int64_t grain_for(int64_t work_per_item) { return 1 + (int64_t(1) << 14) / (work_per_item + 1); }

}  // namespace

template <class T>
void group_norm(const GroupNormArgs& a, const T* x, const T* w, const T* b, T* y, T* mean, T* rstd) {
  const int64_t Cg = a.C / a.G, M = Cg * a.L;
  parallel_for(a.N * a.G, grain_for(M), [&](int64_t k0, int64_t k1) {
    for (int64_t k = k0; k < k1; ++k) {
      const T* xb = x + k * M;
      T* yb = y + k * M;
      double s = 0, ss = 0;  // two passes in double
      for (int64_t i = 0; i < M; ++i) s += xb[i];
      const double m = M ? s / double(M) : 0.0;
      for (int64_t i = 0; i < M; ++i) ss += (xb[i] - m) * (xb[i] - m);
      const double r = 1.0 / std::sqrt((M ? ss / double(M) : 0.0) + a.eps);
      mean[k] = T(m), rstd[k] = T(r);
      const int64_t c0 = (k % a.G) * Cg;
      for (int64_t j = 0; j < Cg; ++j) {
        const double scale = r * (w ? double(w[c0 + j]) : 1.0), shift = (b ? double(b[c0 + j]) : 0.0) - m * scale;
        for (int64_t l = 0; l < a.L; ++l) yb[j * a.L + l] = T(xb[j * a.L + l] * scale + shift);
      }
    }
  });
}

template <class T>
void group_norm_backward(const GroupNormArgs& a, const T* x, const T* g, const T* w, const T* mean, const T* rstd,
                         T* gx, T* gw, T* gb) {
  const int64_t Cg = a.C / a.G, M = Cg * a.L;
  if (gx)
    parallel_for(a.N * a.G, grain_for(2 * M), [&](int64_t k0, int64_t k1) {
      for (int64_t k = k0; k < k1; ++k) {
        const T *xb = x + k * M, *gb_ = g + k * M;
        T* out = gx + k * M;
        const double m = mean[k], r = rstd[k];
        const int64_t c0 = (k % a.G) * Cg;
        double s1 = 0, s2 = 0;  // Σ g' and Σ g'·x̂
        for (int64_t j = 0; j < Cg; ++j) {
          const double wc = w ? double(w[c0 + j]) : 1.0;
          for (int64_t l = 0; l < a.L; ++l) {
            const double gi = gb_[j * a.L + l] * wc;
            s1 += gi;
            s2 += gi * (xb[j * a.L + l] - m) * r;
          }
        }
        const double m1 = M ? s1 / double(M) : 0.0, m2 = M ? s2 / double(M) : 0.0;
        for (int64_t j = 0; j < Cg; ++j) {
          const double wc = w ? double(w[c0 + j]) : 1.0;
          for (int64_t l = 0; l < a.L; ++l) {
            const int64_t i = j * a.L + l;
            out[i] = T(r * (gb_[i] * wc - m1 - (xb[i] - m) * r * m2));
          }
        }
      }
    });
  if (!gw && !gb) return;
  parallel_for(a.C, grain_for(a.N * a.L), [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      double sw = 0, sb = 0;
      for (int64_t n = 0; n < a.N; ++n) {
        const int64_t k = n * a.G + c / Cg, base = (n * a.C + c) * a.L;
        const double m = mean[k], r = rstd[k];
        for (int64_t l = 0; l < a.L; ++l) {
          sw += g[base + l] * (x[base + l] - m) * r;
          sb += g[base + l];
        }
      }
      if (gw) gw[c] = T(sw);
      if (gb) gb[c] = T(sb);
    }
  });
}

#define TG_INSTANTIATE(T)                                                                                     \
  template void group_norm<T>(const GroupNormArgs&, const T*, const T*, const T*, T*, T*, T*);               \
  template void group_norm_backward<T>(const GroupNormArgs&, const T*, const T*, const T*, const T*, const T*, \
                                       T*, T*, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
