#include "kernels/conv/depthwise.h"

#include <algorithm>

#include "kernels/conv/epilogue.h"
#include "runtime/threadpool.h"

namespace tg {
namespace conv {
namespace {

// Output columns ow in [lo, hi) read input column ow·sw + off inside [0, w).
void valid_columns(const ConvGeom& g, int64_t off, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
  hi = g.w - off <= 0 ? 0 : std::min<int64_t>(g.ow, (g.w - off + g.sw - 1) / g.sw);
  hi = std::max(hi, lo);
}

}  // namespace

template <typename T>
void depthwise_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, bool relu) {
  const int64_t og = g.og(), taps = g.taps(), P = g.out_plane(), HW = g.in_plane();
  parallel_for(g.n * g.o, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t n = t / g.o, o = t % g.o;
      const T* xp = x + (n * g.c + o / og) * HW;
      const T* wo = w + o * taps;
      T* yp = y + t * P;
      std::fill(yp, yp + P, b != nullptr ? b[o] : T(0));
      for (int64_t oh = 0; oh < g.oh; ++oh) {
        T* yr = yp + oh * g.ow;
        for (int64_t kh = 0; kh < g.kh; ++kh) {
          const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
          if (ih < 0 || ih >= g.h) continue;
          const T* xr = xp + ih * g.w;
          for (int64_t kw = 0; kw < g.kw; ++kw) {
            const T wv = wo[kh * g.kw + kw];
            const int64_t off = kw * g.dw - g.pw;
            int64_t lo, hi;
            valid_columns(g, off, lo, hi);
            if (g.sw == 1) {
              for (int64_t ow = lo; ow < hi; ++ow) yr[ow] += wv * xr[ow + off];
            } else {
              for (int64_t ow = lo; ow < hi; ++ow) yr[ow] += wv * xr[ow * g.sw + off];
            }
          }
        }
      }
      conv::bias_relu(yp, P, 1, P, static_cast<const T*>(nullptr), relu);  // the bias is already in
    }
  });
}

template <typename T>
void depthwise_backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx) {
  const int64_t og = g.og(), taps = g.taps(), P = g.out_plane(), HW = g.in_plane();
  parallel_for(g.n * g.c, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t n = t / g.c, c = t % g.c;
      T* xp = dx + t * HW;
      std::fill(xp, xp + HW, T(0));
      for (int64_t j = 0; j < og; ++j) {
        const int64_t o = c * og + j;
        const T* yp = dy + (n * g.o + o) * P;
        for (int64_t oh = 0; oh < g.oh; ++oh)
          for (int64_t kh = 0; kh < g.kh; ++kh) {
            const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
            if (ih < 0 || ih >= g.h) continue;
            T* xr = xp + ih * g.w;
            const T* yr = yp + oh * g.ow;
            for (int64_t kw = 0; kw < g.kw; ++kw) {
              const T wv = w[o * taps + kh * g.kw + kw];
              const int64_t off = kw * g.dw - g.pw;
              int64_t lo, hi;
              valid_columns(g, off, lo, hi);
              for (int64_t ow = lo; ow < hi; ++ow) xr[ow * g.sw + off] += wv * yr[ow];
            }
          }
      }
    }
  });
}

template <typename T>
void depthwise_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw) {
  const int64_t og = g.og(), taps = g.taps(), P = g.out_plane(), HW = g.in_plane();
  parallel_for(g.o, 1, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      T* wo = dw + o * taps;
      for (int64_t kh = 0; kh < g.kh; ++kh)
        for (int64_t kw = 0; kw < g.kw; ++kw) {
          const int64_t off = kw * g.dw - g.pw;
          int64_t lo, hi;
          valid_columns(g, off, lo, hi);
          T sum = 0;
          for (int64_t n = 0; n < g.n; ++n) {
            const T* xp = x + (n * g.c + o / og) * HW;
            const T* yp = dy + (n * g.o + o) * P;
            for (int64_t oh = 0; oh < g.oh; ++oh) {
              const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
              if (ih < 0 || ih >= g.h) continue;
              const T* xr = xp + ih * g.w;
              const T* yr = yp + oh * g.ow;
              for (int64_t ow = lo; ow < hi; ++ow) sum += yr[ow] * xr[ow * g.sw + off];
            }
          }
          wo[kh * g.kw + kw] = sum;
        }
    }
  });
}

#define TG_DEPTHWISE_INSTANTIATE(T)                                                         \
  template void depthwise_forward<T>(const ConvGeom&, const T*, const T*, const T*, T*, bool); \
  template void depthwise_backward_input<T>(const ConvGeom&, const T*, const T*, T*);    \
  template void depthwise_backward_weight<T>(const ConvGeom&, const T*, const T*, T*);
TG_DEPTHWISE_INSTANTIATE(float)
TG_DEPTHWISE_INSTANTIATE(double)
#undef TG_DEPTHWISE_INSTANTIATE

}  // namespace conv
}  // namespace tg
