#include "kernels/pad/pad.h"

#include <algorithm>

#include "runtime/threadpool.h"

namespace tg {

std::vector<int64_t> pad_map(PadMode mode, int64_t in, int64_t before, int64_t after) {
  std::vector<int64_t> m(size_t(std::max<int64_t>(0, in + before + after)));
  for (int64_t o = 0; o < int64_t(m.size()); ++o) {
    int64_t s = o - before;
    if (mode == PadMode::Reflect) s = s < 0 ? -s : s >= in ? 2 * (in - 1) - s : s;
    if (mode == PadMode::Replicate) s = std::min(std::max<int64_t>(s, 0), in - 1);
    m[size_t(o)] = s >= 0 && s < in ? s : -1;
  }
  return m;
}

namespace {

int64_t product(const std::vector<int64_t>& v, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t i = from; i < to; ++i) n *= v[i];
  return n;
}

// Calls f(out_row, src_row) for each output row r in [r0, r1) of the padded dims but the last;
// src_row is the matching input row, or −1 when some padded dim maps the row to the fill value.
template <class F>
void for_rows(const PadDims& d, int64_t r0, int64_t r1, F f) {
  const size_t k = d.in.size();
  const int64_t rows_per_outer = product(d.out, 0, k - 1), in_rows = product(d.in, 0, k - 1);
  for (int64_t r = r0; r < r1; ++r) {
    int64_t rest = r % rows_per_outer, src = 0, stride = 1;
    bool fill = false;
    for (size_t j = k - 1; j-- > 0;) {
      const int64_t o = rest % d.out[j], s = d.maps[j][size_t(o)];
      rest /= d.out[j];
      fill = fill || s < 0;
      src += s * stride;
      stride *= d.in[j];
    }
    f(r, fill ? -1 : (r / rows_per_outer) * in_rows + src);
  }
}

}  // namespace

template <class T>
void pad(const PadDims& d, const T* x, T* y, T fill) {
  const size_t k = d.in.size();
  const int64_t W = d.out[k - 1], IW = d.in[k - 1], rows = d.outer * product(d.out, 0, k - 1);
  const std::vector<int64_t>& last = d.maps[k - 1];
  parallel_for(rows, 1 + (int64_t(1) << 14) / (W + 1), [&](int64_t r0, int64_t r1) {
    for_rows(d, r0, r1, [&](int64_t r, int64_t src) {
      T* yr = y + r * W;
      const T* xr = x + src * IW;
      for (int64_t o = 0; o < W; ++o) yr[o] = src < 0 || last[size_t(o)] < 0 ? fill : xr[last[size_t(o)]];
    });
  });
}

template <class T>
void pad_backward(const PadDims& d, const T* g, T* gx) {
  const size_t k = d.in.size();
  const int64_t W = d.out[k - 1], IW = d.in[k - 1];
  const int64_t rows = product(d.out, 0, k - 1), in_block = product(d.in, 0, k);
  const std::vector<int64_t>& last = d.maps[k - 1];
  parallel_for(d.outer, 1 + (int64_t(1) << 14) / (rows * W + 1), [&](int64_t n0, int64_t n1) {
    std::fill(gx + n0 * in_block, gx + n1 * in_block, T(0));
    for_rows(d, n0 * rows, n1 * rows, [&](int64_t r, int64_t src) {
      if (src < 0) return;
      const T* gr = g + r * W;
      T* xr = gx + src * IW;
      for (int64_t o = 0; o < W; ++o)
        if (last[size_t(o)] >= 0) xr[last[size_t(o)]] += gr[o];
    });
  });
}

template void pad<float>(const PadDims&, const float*, float*, float);
template void pad<double>(const PadDims&, const double*, double*, double);
template void pad<int32_t>(const PadDims&, const int32_t*, int32_t*, int32_t);
template void pad_backward<float>(const PadDims&, const float*, float*);
template void pad_backward<double>(const PadDims&, const double*, double*);

}  // namespace tg
