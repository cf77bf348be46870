// The element-wise arithmetic of the reductions (sum, max, min of two buffers) and of AVG's final
// division, written in blocks of a fixed length so that -O2 vectorizes them. Element by element
// (as gloo/math.h's loops compile here) the division alone took half the communication thread's
// CPU in DDP (MLP 784-512-256-10: 1.3 ms a step, about 0.7 ms in blocks).
#pragma once

#include <algorithm>
#include <cstddef>

#include "distributed/process_group.h"

namespace tg::dist {

constexpr size_t kBlock = 16;

// c[i] = f(a[i], b[i]); c may be a or b (Gloo reduces in place), not overlap them otherwise. A block
// is loaded whole before it is stored, so the in-place case vectorizes too.
template <class T, class F>
void combine(T* c, const T* a, const T* b, size_t n, F f) {
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    T r[kBlock];
    for (size_t k = 0; k < kBlock; ++k) r[k] = f(a[i + k], b[i + k]);
    for (size_t k = 0; k < kBlock; ++k) c[i + k] = r[k];
  }
  for (; i < n; ++i) c[i] = f(a[i], b[i]);
}

// c = a (op) b for sum, max and min (avg reduces as a sum; divide() ends it). max/min as std::max/min.
template <class T>
void reduce_into(ReduceOp op, T* c, const T* a, const T* b, size_t n) {
  switch (op) {
    case ReduceOp::Max: return combine(c, a, b, n, [](T x, T y) { return std::max(x, y); });
    case ReduceOp::Min: return combine(c, a, b, n, [](T x, T y) { return std::min(x, y); });
    default: return combine(c, a, b, n, [](T x, T y) { return x + y; });
  }
}

// data[i] /= d, as PyTorch's AVG: a division, not a multiplication by 1/d (exact for a power-of-two world size).
template <class T>
void divide(T* data, size_t n, T d) {
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock)
    for (size_t k = 0; k < kBlock; ++k) data[i + k] /= d;
  for (; i < n; ++i) data[i] /= d;
}

}  // namespace tg::dist
