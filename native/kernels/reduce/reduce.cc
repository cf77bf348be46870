#include "kernels/reduce/reduce.h"

#include <algorithm>
#include <vector>

namespace tg {

namespace {

// Eight independent partial sums break the add latency chain; the combine order is fixed.
template <class T>
double sum_contiguous(const T* x, int64_t n) {
  double p[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) p[k] += static_cast<double>(x[i + k]);
  for (; i < n; ++i) p[0] += static_cast<double>(x[i]);
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

}  // namespace

template <class T>
void sum(const Shape& s, const Layout* L, const T* xp, T* out, int64_t out_numel, double scale) {
  // Small outputs (losses, biases of small layers) accumulate on the stack: no heap allocation.
  double local[256];
  std::vector<double> heap;
  double* acc = local;
  if (out_numel > 256) heap.assign(static_cast<size_t>(out_numel), 0.0), acc = heap.data();
  else std::fill(local, local + out_numel, 0.0);
  Layout la[2] = {L[0], L[1]};
  la[1].off = 0;  // accumulate into acc, indexed like out
  Collapsed<2> c(s, la);
  for_each_run_serial(c, 0, c.outer(), [&](int64_t n, const int64_t* o, const int64_t* is) {
    const T* x = xp + o[0];
    double* a = acc + o[1];
    if (is[1] == 0) {
      if (is[0] == 1) {
        *a += sum_contiguous(x, n);
      } else {
        double t = 0;
        for (int64_t i = 0; i < n; ++i) t += static_cast<double>(x[i * is[0]]);
        *a += t;
      }
    } else {
      for (int64_t i = 0; i < n; ++i) a[i * is[1]] += static_cast<double>(x[i * is[0]]);
    }
  });
  T* op = out + L[1].off;
  for (int64_t i = 0; i < out_numel; ++i) op[i] = static_cast<T>(acc[i] * scale);
}

template <class T>
void extreme(bool is_max, const Shape& s, int nkeep, const Layout* L, const T* xp, T* vals, int32_t* idx) {
  Shape red;
  red.nd = s.nd - nkeep;
  Layout rl;
  for (int i = 0; i < red.nd; ++i) {
    red.dim[i] = s.dim[nkeep + i];
    rl.stride[i] = L[0].stride[nkeep + i];
  }
  Collapsed<1> rc(red, &rl);
  int64_t kept_numel = 1, kidx[kMaxDims] = {};
  for (int i = 0; i < nkeep; ++i) kept_numel *= s.dim[i];
  for (int64_t k = 0; k < kept_numel; ++k) {
    int64_t xo = L[0].off, vo = L[1].off, io = L[2].off;
    for (int i = 0; i < nkeep; ++i) {
      xo += kidx[i] * L[0].stride[i];
      vo += kidx[i] * L[1].stride[i];
      io += kidx[i] * L[2].stride[i];
    }
    T best = xp[xo];
    int64_t best_i = 0, flat = 0;
    for_each_run_serial(rc, 0, rc.outer(), [&](int64_t n, const int64_t* o, const int64_t* is) {
      const T* x = xp + xo + o[0];
      for (int64_t i = 0; i < n; ++i, ++flat) {
        const T v = x[i * is[0]];
        const bool better = is_max ? v > best : v < best;
        if (best == best && (better || v != v)) {
          best = v;
          best_i = flat;
        }
      }
    });
    if (vals) vals[vo] = best;
    if (idx) idx[io] = static_cast<int32_t>(best_i);
    for (int i = nkeep - 1; i >= 0 && ++kidx[i] == s.dim[i]; --i) kidx[i] = 0;
  }
}

#define TG_INSTANTIATE(T)                                                                   \
  template void sum<T>(const Shape&, const Layout*, const T*, T*, int64_t, double);         \
  template void extreme<T>(bool, const Shape&, int, const Layout*, const T*, T*, int32_t*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
TG_INSTANTIATE(int32_t)
#undef TG_INSTANTIATE

}  // namespace tg
