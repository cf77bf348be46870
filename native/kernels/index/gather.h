#pragma once
// Indexing along one dim of a contiguous tensor viewed as [outer, D, inner], and the
// scatter-adds that are their gradients. Indices are checked to lie in [0, D) beforehand.
#include <cstdint>

namespace tg {

struct IndexDims {
  int64_t outer, D, inner, n;  // n: the indexed dim's length in the result
};

// out[o, j, i] = x[o, idx[j], i]                 (idx has n entries)
template <class T>
void index_select(IndexDims d, const T* x, const int32_t* idx, T* out);
// gx[o, idx[j], i] += g[o, j, i]
template <class T>
void index_add(IndexDims d, const T* g, const int32_t* idx, T* gx);
// out[o, j, i] = x[o, idx[o, j, i], i]          (idx has outer*n*inner entries)
template <class T>
void gather(IndexDims d, const T* x, const int32_t* idx, T* out);
// gx[o, idx[o, j, i], i] += g[o, j, i]
template <class T>
void scatter_add(IndexDims d, const T* g, const int32_t* idx, T* gx);

}  // namespace tg
