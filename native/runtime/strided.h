#pragma once
// The strided iteration engine shared by every elementwise-style kernel.
// A tensor operand is (offset, strides) over a common shape; broadcasting is a stride of 0.
// Dims that are contiguous in every operand are merged first, so a contiguous tensor becomes a
// single inner run and the kernel's inner loop sees plain pointers and unit strides.
#include <cstdint>

#include "runtime/threadpool.h"

namespace tg {

constexpr int kMaxDims = 8;

struct Shape {
  int nd = 0;
  int64_t dim[kMaxDims] = {};
  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < nd; ++i) n *= dim[i];
    return n;
  }
};

struct Layout {
  int64_t off = 0;
  int64_t stride[kMaxDims] = {};
};

// Shape and strides after dropping size-1 dims and merging contiguous neighbours.
template <int NOP>
struct Collapsed {
  int nd = 0;
  int64_t dim[kMaxDims];
  int64_t stride[NOP][kMaxDims];
  int64_t off[NOP];

  Collapsed(const Shape& s, const Layout* L) {
    for (int k = 0; k < NOP; ++k) off[k] = L[k].off;
    for (int i = 0; i < s.nd; ++i) {
      if (s.dim[i] == 1) continue;
      bool merge = nd > 0;
      for (int k = 0; k < NOP && merge; ++k)
        merge = stride[k][nd - 1] == L[k].stride[i] * s.dim[i];
      if (merge) {
        dim[nd - 1] *= s.dim[i];
        for (int k = 0; k < NOP; ++k) stride[k][nd - 1] = L[k].stride[i];
      } else {
        dim[nd] = s.dim[i];
        for (int k = 0; k < NOP; ++k) stride[k][nd] = L[k].stride[i];
        ++nd;
      }
    }
    if (nd == 0) {  // a scalar: one run of length 1
      dim[0] = 1;
      for (int k = 0; k < NOP; ++k) stride[k][0] = 0;
      nd = 1;
    }
  }
  int64_t inner() const { return dim[nd - 1]; }
  int64_t outer() const {
    int64_t n = 1;
    for (int i = 0; i < nd - 1; ++i) n *= dim[i];
    return n;
  }
  // Offsets of the first element of outer row r.
  void row_offsets(int64_t r, int64_t* o) const {
    for (int k = 0; k < NOP; ++k) o[k] = off[k];
    for (int i = nd - 2; i >= 0; --i) {
      int64_t idx = r % dim[i];
      r /= dim[i];
      for (int k = 0; k < NOP; ++k) o[k] += idx * stride[k][i];
    }
  }
};

// Calls f(n, offsets[NOP], inner_strides[NOP]) for each inner run, in order, on this thread.
template <int NOP, class F>
void for_each_run_serial(const Collapsed<NOP>& c, int64_t r0, int64_t r1, F&& f) {
  int64_t o[NOP], is[NOP];
  for (int k = 0; k < NOP; ++k) is[k] = c.stride[k][c.nd - 1];
  for (int64_t r = r0; r < r1; ++r) {
    c.row_offsets(r, o);
    f(c.inner(), o, is);
  }
}

// Elementwise work below this many elements stays on the calling thread.
constexpr int64_t kParallelGrain = 1 << 15;

// Visits every element once. Large work is split across the thread pool; each element is
// written by exactly one thread, so the result does not depend on the thread count.
template <int NOP, class F>
void for_each_run(const Shape& s, const Layout* L, F&& f) {
  if (s.numel() == 0) return;
  Collapsed<NOP> c(s, L);
  const int64_t outer = c.outer(), inner = c.inner();
  if (outer * inner < 2 * kParallelGrain) return for_each_run_serial(c, 0, outer, f);
  if (outer > 1) {
    int64_t grain = (kParallelGrain + inner - 1) / inner;
    parallel_for(outer, grain, [&](int64_t r0, int64_t r1) { for_each_run_serial(c, r0, r1, f); });
    return;
  }
  // One long contiguous run: split it into chunks.
  parallel_for(inner, kParallelGrain, [&](int64_t i0, int64_t i1) {
    int64_t o[NOP], is[NOP];
    for (int k = 0; k < NOP; ++k) {
      is[k] = c.stride[k][0];
      o[k] = c.off[k] + i0 * is[k];
    }
    f(i1 - i0, o, is);
  });
}

}  // namespace tg
