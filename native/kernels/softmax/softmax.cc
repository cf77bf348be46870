#include "kernels/softmax/softmax.h"

#include <cmath>

namespace tg {

template <class T>
void softmax(bool log, SoftmaxDims d, const T* x, T* y) {
  for_each_line(d, [&](int64_t, int64_t base, int64_t st) {
    const T* xl = x + base;
    T* yl = y + base;
    T m = xl[0];
    for (int64_t k = 1; k < d.D; ++k) m = xl[k * st] > m ? xl[k * st] : m;
    T s = 0;
    for (int64_t k = 0; k < d.D; ++k) {
      const T e = std::exp(xl[k * st] - m);
      yl[k * st] = e;
      s += e;
    }
    if (log) {
      // (x − m) − log s, as PyTorch: x − (m + log s) loses log s once m dwarfs it (large logits).
      const T ls = std::log(s);
      for (int64_t k = 0; k < d.D; ++k) yl[k * st] = (xl[k * st] - m) - ls;
    } else {
      const T inv = T(1) / s;
      for (int64_t k = 0; k < d.D; ++k) yl[k * st] *= inv;
    }
  });
}

template <class T>
void softmax_backward(bool log, SoftmaxDims d, const T* y, const T* g, T* gx) {
  for_each_line(d, [&](int64_t, int64_t base, int64_t st) {
    const T *yl = y + base, *gl = g + base;
    T* out = gx + base;
    T s = 0;
    for (int64_t k = 0; k < d.D; ++k) s += log ? gl[k * st] : gl[k * st] * yl[k * st];
    for (int64_t k = 0; k < d.D; ++k) {
      const int64_t j = k * st;
      out[j] = log ? gl[j] - std::exp(yl[j]) * s : yl[j] * (gl[j] - s);
    }
  });
}

template void softmax<float>(bool, SoftmaxDims, const float*, float*);
template void softmax<double>(bool, SoftmaxDims, const double*, double*);
template void softmax_backward<float>(bool, SoftmaxDims, const float*, const float*, float*);
template void softmax_backward<double>(bool, SoftmaxDims, const double*, const double*, double*);

}  // namespace tg
