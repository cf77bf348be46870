#include "kernels/conv/im2col.h"

#include <algorithm>

#include "runtime/cpu.h"

namespace tg {
namespace conv {
namespace {

#include "kernels/conv/im2col_body.h"

struct ScalarRun {
  template <typename T>
  static void copy_inside(T* d, const T* src, int64_t len) {
    for (int64_t l = 0; l < len; ++l) d[l] = src[l];
  }
  template <typename T>
  static void copy(T* d, const T* row, int64_t iw, int64_t len, int64_t w) {
    const int64_t lo = std::clamp<int64_t>(-iw, 0, len), hi = std::clamp<int64_t>(w - iw, lo, len);
    for (int64_t l = 0; l < lo; ++l) d[l] = T(0);
    for (int64_t l = lo; l < hi; ++l) d[l] = row[iw + l];
    for (int64_t l = hi; l < len; ++l) d[l] = T(0);
  }
};

}  // namespace

bool patches_inside(const ConvGeom& g) {
  return g.ph == 0 && g.pw == 0 && g.dh >= 1 && g.dw >= 1 && (g.oh - 1) * g.sh + (g.kh - 1) * g.dh < g.h &&
         (g.ow - 1) * g.sw + (g.kw - 1) * g.dw < g.w;
}

ConvGeom padded_geometry(const ConvGeom& g) {
  ConvGeom p = g;
  p.h = (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1;
  p.w = (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1;
  p.ph = p.pw = 0;
  return p;
}

template <typename T>
void pad_planes(const T* x, int64_t channels, int64_t h, int64_t w, int64_t ph, int64_t pw, int64_t rows,
                int64_t prow, T* xpad) {
  // Columns q in [left, right) of a padded row come from the image, read from column q − pw.
  const int64_t left = std::clamp<int64_t>(pw, 0, prow), right = std::clamp<int64_t>(w + pw, left, prow);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t r = 0; r < rows; ++r) {
      T* d = xpad + (c * rows + r) * prow;
      const int64_t ih = r - ph;
      if (ih < 0 || ih >= h) {
        std::fill(d, d + prow, T(0));
        continue;
      }
      std::fill(d, d + left, T(0));
      std::copy(x + (c * h + ih) * w + (left - pw), x + (c * h + ih) * w + (right - pw), d + left);
      std::fill(d + right, d + prow, T(0));
    }
}

template <typename T>
void im2col_rows(const ConvGeom& g, const T* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1, T* dst,
                 int64_t ld) {
  if constexpr (std::is_same_v<T, float>) {
    if (cpu_isa() == Isa::Avx512) return im2col_rows_f32_avx512(g, x, k0, k1, p0, p1, dst, ld);
  }
  im2col_rows_body<T, ScalarRun>(g, x, k0, k1, p0, p1, dst, ld);
}

template <typename T>
void col2im(const ConvGeom& g, int64_t channels, const T* col, T* x) {
  const int64_t P = g.oh * g.ow;
  for (int64_t c = 0; c < channels; ++c) {
    T* plane = x + c * g.h * g.w;
    for (int64_t kh = 0; kh < g.kh; ++kh)
      for (int64_t kw = 0; kw < g.kw; ++kw, col += P)
        for (int64_t oh = 0; oh < g.oh; ++oh) {
          const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
          if (ih < 0 || ih >= g.h) continue;
          T* row = plane + ih * g.w;
          const T* src = col + oh * g.ow;
          for (int64_t ow = 0, iw = kw * g.dw - g.pw; ow < g.ow; ++ow, iw += g.sw)
            if (iw >= 0 && iw < g.w) row[iw] += src[ow];
        }
  }
}

template void im2col_rows<float>(const ConvGeom&, const float*, int64_t, int64_t, int64_t, int64_t, float*, int64_t);
template void im2col_rows<double>(const ConvGeom&, const double*, int64_t, int64_t, int64_t, int64_t, double*,
                                  int64_t);
template void pad_planes<float>(const float*, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, float*);
template void pad_planes<double>(const double*, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                 double*);
template void col2im<float>(const ConvGeom&, int64_t, const float*, float*);
template void col2im<double>(const ConvGeom&, int64_t, const double*, double*);

}  // namespace conv
}  // namespace tg
