#pragma once
// The input windows of 2-D pooling, one axis at a time. For output position o the window is the
// input range [start[o], end[o]) visited in steps of `step`, already clipped to the input; `count`
// is what an average divides by. Computing windows once per call keeps the pooling loops free of
// padding and ceil-mode arithmetic, and lets max, average and adaptive pooling share the loops.
#include <cstdint>
#include <vector>

namespace tg {

struct AxisWindows {
  std::vector<int64_t> start, end, count;
  int64_t step = 1;
  // For max_pool_axis windows (else kernel = 0): window o covers o·stride − pad + j·step, j in [0, kernel).
  int64_t kernel = 0, stride = 1, pad = 0;
  int64_t size() const { return int64_t(start.size()); }
  int64_t longest() const;  // the most input positions any window covers
};

// max_pool2d (PyTorch's cpu kernel): window o begins at o·stride − pad, spans (k−1)·dilation + 1,
// and its first position is the first one inside the input on the dilation grid.
AxisWindows max_pool_axis(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t dilation);
// avg_pool2d: count is the window's size inside the padded input (countIncludePad) or inside the input.
AxisWindows avg_pool_axis(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, bool count_include_pad);
// adaptive pooling: [floor(o·in/out), ceil((o+1)·in/out)).
AxisWindows adaptive_axis(int64_t in, int64_t out);

}  // namespace tg
