// The im2col loop, written once and compiled twice: im2col.cc includes it for baseline code and
// im2col_avx512.cc inside an AVX-512 target region, each in an anonymous namespace so neither copy can
// replace the other at link time. `Run` supplies the copy of one contiguous run of a row (stride 1).
// No include guard and no namespace on purpose.

// d[l] = row[iw + l] where 0 <= iw + l < w, else 0, for l < len (a row read with stride sw).
template <typename T>
void strided_run(T* d, const T* row, int64_t iw, int64_t sw, int64_t len, int64_t w) {
  for (int64_t l = 0; l < len; ++l, iw += sw) d[l] = iw >= 0 && iw < w ? row[iw] : T(0);
}

// The same rows when patches_inside(g): every run is a plain copy (Run::copy_inside), no bounds checks.
template <typename T, class Run>
void im2col_rows_inside(const ConvGeom& g, const T* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1, T* dst,
                        int64_t ld) {
  const int64_t taps = g.kh * g.kw;
  for (int64_t p = p0; p < p1;) {
    const int64_t oh = p / g.ow, ow0 = p - oh * g.ow;
    const int64_t len = std::min(p1 - p, g.ow - ow0);
    int64_t c = k0 / taps, kh = (k0 - c * taps) / g.kw, kw = k0 - c * taps - kh * g.kw;
    const T* plane = x + c * g.h * g.w + (oh * g.sh) * g.w + ow0 * g.sw;
    T* d = dst + (p - p0);
    for (int64_t k = k0; k < k1; ++k, d += ld) {
      const T* src = plane + kh * g.dh * g.w + kw * g.dw;
      if (g.sw == 1) {
        Run::copy_inside(d, src, len);
      } else {
        for (int64_t l = 0; l < len; ++l) d[l] = src[l * g.sw];
      }
      if (++kw == g.kw) {
        kw = 0;
        if (++kh == g.kh) kh = 0, plane += g.h * g.w;
      }
    }
    p += len;
  }
}

template <typename T, class Run>
void im2col_rows_body(const ConvGeom& g, const T* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1, T* dst,
                      int64_t ld) {
  if (patches_inside(g)) return im2col_rows_inside<T, Run>(g, x, k0, k1, p0, p1, dst, ld);
  const int64_t taps = g.kh * g.kw;
  for (int64_t p = p0; p < p1;) {
    // One run of output positions in the same output row.
    const int64_t oh = p / g.ow, ow0 = p - oh * g.ow;
    const int64_t len = std::min(p1 - p, g.ow - ow0);
    const int64_t ih0 = oh * g.sh - g.ph, iw0 = ow0 * g.sw - g.pw;
    int64_t c = k0 / taps, kh = (k0 - c * taps) / g.kw, kw = k0 - c * taps - kh * g.kw;
    T* d = dst + (p - p0);
    for (int64_t k = k0; k < k1; ++k, d += ld) {
      const int64_t ih = ih0 + kh * g.dh;
      if (ih < 0 || ih >= g.h) {
        for (int64_t l = 0; l < len; ++l) d[l] = T(0);
      } else if (g.sw == 1) {
        Run::copy(d, x + (c * g.h + ih) * g.w, iw0 + kw * g.dw, len, g.w);
      } else {
        strided_run(d, x + (c * g.h + ih) * g.w, iw0 + kw * g.dw, g.sw, len, g.w);
      }
      if (++kw == g.kw) {
        kw = 0;
        if (++kh == g.kh) kh = 0, ++c;
      }
    }
    p += len;
  }
}
