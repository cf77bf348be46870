#pragma once
// 2-D pooling over dense [planes, H, W] inputs (planes = N·C), threaded over planes; each plane is
// computed by one thread in a fixed order, so results are identical at any thread count.
#include <cstdint>

#include "kernels/pool/windows.h"

namespace tg {

struct PoolGeometry {
  int64_t planes, H, W;
  const AxisWindows& h;  // output rows
  const AxisWindows& w;  // output columns
  int64_t OH() const { return h.size(); }
  int64_t OW() const { return w.size(); }
};

// y = the window's maximum and idx = its flat position h·W + w in the plane. As PyTorch: the first
// maximum wins a tie, and a NaN wins over any number (the last NaN in the window). An empty window
// gives −inf and index −1.
template <class T>
void max_pool2d(const PoolGeometry& g, const T* x, T* y, int32_t* idx);
// gx = 0, then gx[idx] += gy per output (indices −1 are skipped).
template <class T>
void max_pool2d_backward(const PoolGeometry& g, const T* gy, const int32_t* idx, T* gx);

// y = the window's sum / divisor, divisor = divisor_override when nonzero, else h.count · w.count.
// An empty window gives 0.
template <class T>
void avg_pool2d(const PoolGeometry& g, int64_t divisor_override, const T* x, T* y);
// gx = each output's gy / divisor spread over its window.
template <class T>
void avg_pool2d_backward(const PoolGeometry& g, int64_t divisor_override, const T* gy, T* gx);

}  // namespace tg
