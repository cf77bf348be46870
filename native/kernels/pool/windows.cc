#include "kernels/pool/windows.h"

#include <algorithm>

namespace tg {

int64_t AxisWindows::longest() const {
  int64_t m = 0;
  for (int64_t o = 0; o < size(); ++o) m = std::max(m, (end[o] - start[o] + step - 1) / step);
  return m;
}

AxisWindows max_pool_axis(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t dilation) {
  AxisWindows w;
  w.step = dilation, w.kernel = k, w.stride = stride, w.pad = pad;
  for (int64_t o = 0; o < out; ++o) {
    int64_t s = o * stride - pad;
    const int64_t e = std::min(s + (k - 1) * dilation + 1, in);
    while (s < 0) s += dilation;
    w.start.push_back(s);
    w.end.push_back(std::max(s, e));
    w.count.push_back(0);
  }
  return w;
}

AxisWindows avg_pool_axis(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, bool count_include_pad) {
  AxisWindows w;
  for (int64_t o = 0; o < out; ++o) {
    const int64_t s0 = o * stride - pad, e0 = std::min(s0 + k, in + pad);
    const int64_t s = std::max<int64_t>(s0, 0), e = std::max(s, std::min(e0, in));
    w.start.push_back(s);
    w.end.push_back(e);
    w.count.push_back(count_include_pad ? e0 - s0 : e - s);
  }
  return w;
}

AxisWindows adaptive_axis(int64_t in, int64_t out) {
  AxisWindows w;
  for (int64_t o = 0; o < out; ++o) {
    const int64_t s = o * in / out, e = ((o + 1) * in + out - 1) / out;
    w.start.push_back(s);
    w.end.push_back(e);
    w.count.push_back(e - s);
  }
  return w;
}

}  // namespace tg
